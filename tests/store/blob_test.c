/*
 * blob_test.c - the content-addressed byte store: a chunk lands only at the
 * part's end, bytes written past the recorded offset are cut on resume, a
 * committed file is named by its hash and the same bytes are stored once,
 * the sweep removes what no one names.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/blob.h"
#include "t.h"

static char dir[256];
#define ID1 "0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210"

static int exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static void test_append(void)
{
	blob_part p;
	mc_err e;
	T_CASE("append: at the end only");
	CHECK_INT(blob_part_open(dir, ID1, 1, &p, &e), MC_OK);
	CHECK_INT(p.size, 0);
	static const struct {
		long long offset;
		const char *data;
		int rc;
		long long size_after;
	} steps[] = {
		{ 0, "hello ", MC_OK, 6 },
		{ 0, "hello ", MC_ECONFLICT, 6 },  /* a chunk sent again: refused */
		{ 12, "zzz", MC_ECONFLICT, 6 },    /* a gap: refused */
		{ 6, "world", MC_OK, 11 },
		{ 3, "x", MC_ECONFLICT, 11 },      /* behind: refused */
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(steps); i++) {
		int rc = blob_part_append(&p, steps[i].offset, steps[i].data, strlen(steps[i].data), &e);
		CHECK_INT(rc, steps[i].rc);
		if (rc == MC_ECONFLICT)
			CHECK_INT(e.id, MCE_UPLOAD_BAD_OFFSET);
		CHECK_INT(p.size, steps[i].size_after);
	}
	blob_part_close(&p);

	T_CASE("resume: bytes past the recorded offset are cut");
	CHECK_INT(blob_part_open(dir, ID1, 0, &p, &e), MC_OK);
	CHECK_INT(p.size, 11);
	CHECK_INT(blob_part_truncate(&p, 6, &e), MC_OK); /* the DB recorded 6 */
	CHECK_INT(p.size, 6);
	CHECK_INT(blob_part_append(&p, 6, "there", 5, &e), MC_OK);
	char hex[65];
	CHECK_INT(blob_part_hash(&p, hex, &e), MC_OK);
	/* sha256("hello there") */
	CHECK_STR(hex, "12998c017066eb0d2a70b94e6ed3192985855ce390f321bbdb832022888bd251");
	CHECK_INT(p.map_len, 11);
	CHECK(memcmp(p.map, "hello there", 11) == 0);

	T_CASE("commit: named by its hash, the part gone, directories synced");
	int existed = -1;
	CHECK_INT(blob_part_commit(dir, &p, hex, &existed, &e), MC_OK);
	CHECK_INT(existed, 0);
	blob_part_close(&p);
	char path[700], part[700];
	blob_path(dir, hex, path, sizeof path);
	snprintf(part, sizeof part, "%s/files/tmp/%s.part", dir, ID1);
	CHECK(exists(path));
	CHECK(!exists(part));
	char buf[700];
	snprintf(buf, sizeof buf, "%s/files/12/998c017066eb0d2a70b94e6ed3192985855ce390f321bbdb832022888bd251", dir);
	CHECK_STR(path, buf);
	int64_t size;
	CHECK_INT(blob_stat(dir, hex, &size, &e), MC_OK);
	CHECK_INT(size, 11);
	char *data;
	size_t len;
	CHECK_INT(blob_read(dir, hex, 100, &data, &len, &e), MC_OK);
	CHECK_INT(len, 11);
	CHECK(memcmp(data, "hello there", 11) == 0);
	free(data);
	CHECK_INT(blob_read(dir, hex, 5, &data, &len, &e), MC_EINVAL); /* over max */

	T_CASE("dedupe: the same bytes again keep the first copy");
	CHECK_INT(blob_part_open(dir, ID2, 1, &p, &e), MC_OK);
	CHECK_INT(blob_part_append(&p, 0, "hello there", 11, &e), MC_OK);
	CHECK_INT(blob_part_commit(dir, &p, hex, &existed, &e), MC_OK);
	CHECK_INT(existed, 1);
	blob_part_close(&p);
	snprintf(part, sizeof part, "%s/files/tmp/%s.part", dir, ID2);
	CHECK(!exists(part));
	CHECK(exists(path));

	T_CASE("a missing part is not created unless asked");
	CHECK_INT(blob_part_open(dir, ID2, 0, &p, &e), MC_ENOTFOUND);
	blob_part_close(&p);
	T_CASE("names that could leave the store are refused");
	static const char *const bad[] = { "../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF",
					   "", "0123456789abcdef0123456789abcde/" };
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		CHECK_INT(blob_part_open(dir, bad[i], 1, &p, &e), MC_ENOTFOUND);
		blob_part_close(&p);
		CHECK(!blob_sha_valid(bad[i]));
	}
}

static int keep_none(void *ctx, int is_part, const char *name, int64_t age)
{
	int *seen = ctx;
	seen[is_part]++;
	return is_part || age >= 3600;
}

static void test_sweep(void)
{
	mc_err e;
	blob_part p;
	T_CASE("sweep: a part no upload names goes; a fresh blob stays, an old one goes");
	CHECK_INT(blob_part_open(dir, ID2, 1, &p, &e), MC_OK);
	CHECK_INT(blob_part_append(&p, 0, "x", 1, &e), MC_OK);
	blob_part_close(&p);
	int seen[2] = { 0, 0 }, removed = -1;
	mc_time now = time(NULL);
	CHECK_INT(blob_sweep(dir, now, keep_none, seen, &removed, &e), MC_OK);
	CHECK_INT(seen[1], 1);
	CHECK_INT(seen[0], 1);
	CHECK_INT(removed, 1);
	seen[0] = seen[1] = 0;
	CHECK_INT(blob_sweep(dir, now + 7200, keep_none, seen, &removed, &e), MC_OK);
	CHECK_INT(seen[0], 1);
	CHECK_INT(removed, 1);
	int64_t size;
	CHECK_INT(blob_stat(dir, "12998c017066eb0d2a70b94e6ed3192985855ce390f321bbdb832022888bd251", &size, &e), MC_OK);
	CHECK_INT(size, -1);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/blob_test.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_append();
	test_sweep();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
