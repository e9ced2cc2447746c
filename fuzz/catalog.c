/*
 * catalog.c - fuzz target for catalog_normalize: one procedure, either a
 * crawl of the national portal or an object already in the clean format.
 *
 * An input that is not JSON but is valid UTF-8 becomes a crawl object whose
 * text fields are the input cut at ASCII RS bytes (0x1E), so the fuzzer can
 * work on the crawl repair and the catp parsers without writing JSON.
 *
 * Checked against catalog.h: normalizing leaves the input alone; a clean
 * object normalizes to itself, so normalizing the output again, directly or
 * after a trip through its JSON text, gives identical JSON (dumped with
 * JSON_COMPACT | JSON_SORT_KEYS) and the same "complete"; a refusal is
 * MC_EINVAL with a message and no output; catalog_channel_time answers for
 * every channel of a clean object.
 */
#include "app/catalog.h"
#include "core/dl.h"
#include "core/txt.h"
#include "fuzz.h"

#include <math.h>

#define DUMP_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

/* The crawl fields the input text fills, in order. */
static const char *const crawl_keys[] = {
	"cach_thuc_thuc_hien", "thanh_phan_ho_so",  "ket_qua_xu_ly",	 "raw_text",
	"trinh_tu_thuc_hien",  "can_cu_phap_ly",    "co_quan_thuc_hien", "yeu_cau_dieu_kien",
	"ten_thu_tuc",	       "co_quan_co_tham_quyen",
};

static void set(json_t *o, const char *key, json_t *v)
{
	FZ_CHECK(v != NULL);
	FZ_CHECK(json_object_set_new(o, key, v) == 0);
}

/* A crawl object made of the input text, NULL if it is not UTF-8 text. */
static json_t *crawl_of(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	if (memchr(data, 0, size) || !txt_utf8_valid(p, size))
		return NULL;
	json_t *o = json_object();
	FZ_CHECK(o != NULL);
	set(o, "ma_thu_tuc", json_string("1.000253"));
	set(o, "ten_thu_tuc", json_string("Thủ tục thử"));
	for (size_t i = 0; i < MC_ARRAY_LEN(crawl_keys) && p <= end; i++) {
		const char *q = memchr(p, 0x1E, (size_t)(end - p));
		if (!q)
			q = end;
		set(o, crawl_keys[i], json_stringn(p, (size_t)(q - p)));
		p = q + 1;
	}
	return o;
}

static char *dump(const json_t *j)
{
	char *s = json_dumps(j, DUMP_FLAGS);
	FZ_CHECK(s != NULL);
	return s;
}

/* Normalizes in, which must succeed, and returns the output's dump. */
static char *again(json_t *in, int complete)
{
	json_t *out = NULL;
	int c = -1;
	mc_err e = { 0 };
	int rc = catalog_normalize(in, &out, &c, &e);
	if (rc)
		fprintf(stderr, "normalizing a clean object failed: %s\n", e.msg);
	FZ_CHECK(rc == MC_OK && out != NULL);
	FZ_CHECK(c == complete);
	char *d = dump(out);
	json_decref(out);
	return d;
}

static void check_times(json_t *clean)
{
	static const char *const chans[] = { "direct", "online", "postal" };
	double amount;
	int unit;
	mc_err e;
	for (size_t i = 0; i < MC_ARRAY_LEN(chans); i++) {
		amount = -1;
		unit = -1;
		int rc = catalog_channel_time(clean, chans[i], &amount, &unit, &e);
		FZ_CHECK(rc == MC_OK || rc == MC_ENOTFOUND);
		if (rc == MC_OK)
			FZ_CHECK(isfinite(amount) && amount >= 0 && unit >= DL_WORKING_DAYS &&
				 unit <= DL_SAME_DAY);
	}
	FZ_CHECK(catalog_channel_time(clean, "Direct", &amount, &unit, &e) == MC_EINVAL);
}

static void fuzz_one(json_t *in)
{
	json_t *out = NULL;
	int complete = -1;
	mc_err e = { 0 };
	char *before = dump(in);
	int rc = catalog_normalize(in, &out, &complete, &e);
	char *after = dump(in);
	FZ_CHECK(strcmp(before, after) == 0);
	free(before);
	free(after);
	if (rc) {
		FZ_CHECK(rc == MC_EINVAL && e.code == MC_EINVAL && e.msg[0]);
		FZ_CHECK(out == NULL);
		return;
	}
	FZ_CHECK(json_is_object(out));
	FZ_CHECK(complete == 0 || complete == 1);
	FZ_CHECK(strcmp(json_string_value(json_object_get(out, "format")), CATALOG_FORMAT) == 0);
	FZ_CHECK(json_string_length(json_object_get(out, "version")) > 0);
	FZ_CHECK((json_array_size(json_object_get(out, "unparsed")) == 0) == complete);

	char *d1 = dump(out), *d2 = again(out, complete);
	if (strcmp(d1, d2) != 0)
		fprintf(stderr, "first:  %s\nsecond: %s\n", d1, d2);
	FZ_CHECK(strcmp(d1, d2) == 0);
	/* as stored: the JSON text read back */
	json_error_t je;
	json_t *read = json_loads(d1, 0, &je);
	FZ_CHECK(read != NULL);
	char *d3 = again(read, complete);
	FZ_CHECK(strcmp(d1, d3) == 0);
	check_times(out);
	json_decref(read);
	free(d1);
	free(d2);
	free(d3);
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *in = json_loadb((const char *)data, size, 0, &je);
	if (!in)
		in = crawl_of(data, size);
	if (!in)
		return 0;
	fuzz_one(in);
	json_decref(in);
	return 0;
}
