/*
 * ev_test.c - the event log's hash: an encoding that cannot be built
 * completely is an error, never the hash of the part that fitted.
 */
#include <unistd.h>

#include "store/ev.h"
#include "t.h"

#define AT "2025-01-01T00:00:00+07:00"

static void test_hash(void)
{
	char h[65], h2[65];

	T_CASE("ev_hash: a well-formed event");
	CHECK_INT(ev_hash(1, AT, "a", "k", NULL, "{}", EV_ZERO_HASH, h), MC_OK);
	CHECK_INT(strlen(h), 64);
	CHECK_INT(ev_hash(1, AT, "a", "k", NULL, "{\"x\":1}", EV_ZERO_HASH, h2), MC_OK);
	CHECK(strcmp(h, h2) != 0);

	T_CASE("ev_hash: text that is not UTF-8 is refused");
	static const char *const bad[] = { "\xff", "a\xc3", "\xed\xa0\x80" };
	for (size_t i = 0; i < MC_ARRAY_LEN(bad); i++) {
		snprintf(h, sizeof h, "x");
		CHECK_INT(ev_hash(1, AT, bad[i], "k", NULL, "{}", EV_ZERO_HASH, h), MC_EINVAL);
		CHECK_STR(h, "");
		CHECK_INT(ev_hash(1, AT, "a", "k", bad[i], "{}", EV_ZERO_HASH, h), MC_EINVAL);
	}

	T_CASE("ev_hash: an encoding longer than EV_MAX_BYTES is refused");
	size_t n = EV_MAX_BYTES;
	char *big = mc_xmalloc(n + 1);
	memset(big, '1', n);
	big[n] = 0;
	CHECK_INT(ev_hash(1, AT, "a", "k", NULL, big, EV_ZERO_HASH, h), MC_EINVAL);
	CHECK_STR(h, "");
	/* Just under the limit with the other fields is still hashed. */
	big[n - 200] = 0;
	CHECK_INT(ev_hash(1, AT, "a", "k", NULL, big, EV_ZERO_HASH, h), MC_OK);
	CHECK_INT(strlen(h), 64);
	free(big);
}

static int count_cb(void *ctx, const ev_event *ev)
{
	(*(int *)ctx)++;
	return 0;
}

static void test_append(void)
{
	char dir[64], path[128];
	st *s = NULL;
	mc_err e = { 0 };
	snprintf(dir, sizeof dir, "/tmp/motcua-ev-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	CHECK_INT(st_open(path, 1, &s, &e), MC_OK);
	if (!s)
		return;

	T_CASE("ev_append: a field that cannot be encoded appends nothing");
	json_t *p = json_pack("{s:i}", "x", 1);
	int64_t seq = 0, count = -1, bad = -1;
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(ev_append(s, 1735664400, "\xff", "k", NULL, p, &seq, &e), MC_EINVAL);
	CHECK(strstr(e.msg, "cannot be encoded") != NULL);
	CHECK_INT(ev_append(s, 1735664400, "a", "k", NULL, p, &seq, &e), MC_OK);
	CHECK_INT(seq, 1);
	CHECK_INT(st_commit(s, &e), MC_OK);
	json_decref(p);

	T_CASE("ev_verify and ev_count after it");
	CHECK_INT(ev_verify(s, &count, &bad, &e), MC_OK);
	CHECK_INT(count, 1);
	CHECK_INT(bad, 0);
	CHECK_INT(ev_count(s, &count, &e), MC_OK);
	CHECK_INT(count, 1);
	int seen = 0;
	CHECK_INT(ev_list(s, 0, 0, count_cb, &seen, &e), MC_OK);
	CHECK_INT(seen, 1);

	st_close(s);
	static const char *const tails[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < MC_ARRAY_LEN(tails); i++) {
		char f[160];
		snprintf(f, sizeof f, "%s%s", path, tails[i]);
		unlink(f);
	}
	rmdir(dir);
}

int main(void)
{
	st_library_init();
	st_fault_arm(0, 0);
	test_hash();
	test_append();
	return t_done();
}
