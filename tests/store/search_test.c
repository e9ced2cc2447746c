/*
 * search_test.c - the full-text index (st_search.c): rows written with the
 * dossiers, prefix and AND matching whatever the diacritics, the ranking,
 * snippets, queries made of hostile text, files' rows, agencies, rebuild.
 * On a fresh database in a temporary directory.
 */
#include <unistd.h>

#include "core/txt.h"
#include "store/st_int.h"
#include "store/st_search.h"
#include "t.h"

#include "fresh.h"

static st *open_fresh(void)
{
	return open_fresh_named("search");
}

#define AG "000.00.25.H45"
#define OTHER "000.00.26.H45"

static const struct {
	const char *code, *agency, *name, *address, *summary;
	mc_time submitted;
} dossiers[] = {
	{ AG "-250101-0001", AG, "Nguyễn Văn An", "Thôn Đông, xã Hòa Bình", "Đăng ký khai sinh", 100 },
	{ AG "-250101-0002", AG, "Nguyễn Văn Bình", "Thôn Tây", "Chứng thực bản sao", 200 },
	{ AG "-250101-0003", AG, "Trần Thị Nguyệt", "Thôn Bắc", "Đăng ký kết hôn", 300 },
	{ AG "-250101-0004", AG, "Lê Văn Hòa", "Thôn Nam", "Xác nhận cư trú", 400 },
	{ AG "-250101-0005", AG, "Phạm Đức Đạt", "Xóm Mới", "Trích lục khai tử", 500 },
	{ OTHER "-250101-0001", OTHER, "Nguyễn Văn Cường", "Thôn Đoài", "Đăng ký khai sinh", 600 },
};

static int insert_all(st *s)
{
	mc_err e = { 0 };
	int rc = st_begin(s, &e);
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(dossiers); i++) {
		st_dossier d;
		memset(&d, 0, sizeof d);
		snprintf(d.code, sizeof d.code, "%s", dossiers[i].code);
		snprintf(d.origin, sizeof d.origin, "%s", dossiers[i].agency);
		snprintf(d.r.agency, sizeof d.r.agency, "%s", dossiers[i].agency);
		snprintf(d.procedure, sizeof d.procedure, "1.001193");
		snprintf(d.channel, sizeof d.channel, "direct");
		d.r.state = DSR_RECEIVED;
		d.r.resume_state = -1;
		d.r.time_unit = DL_WORKING_DAYS;
		d.r.time_amount = 3;
		d.name = mc_xstrdup(dossiers[i].name);
		d.id_number = mc_xstrdup("001099012345");
		d.phone = mc_xstrdup("0912345678");
		d.address = mc_xstrdup(dossiers[i].address);
		d.summary = mc_xstrdup(dossiers[i].summary);
		d.submitted_at = d.updated_at = dossiers[i].submitted;
		d.r.received_at = dossiers[i].submitted;
		rc = st_dossier_insert(s, &d, "", &e);
		st_dossier_release(&d);
	}
	if (rc)
		fprintf(stderr, "insert: %s\n", e.msg);
	return st_end(s, rc, &e);
}

typedef struct {
	char codes[1024];  /* the hits' refs' last 4 characters, by rank */
	char title[512];   /* the first hit's title and snippet */
	char snippet[1024];
	char kinds[64];
} hits;

static int collect(void *p, const st_search_hit *h)
{
	hits *c = p;
	size_t n = strlen(c->codes), k = strlen(h->ref);
	if (!*c->title) {
		snprintf(c->title, sizeof c->title, "%s", h->title);
		snprintf(c->snippet, sizeof c->snippet, "%s", h->snippet);
	}
	snprintf(c->codes + n, sizeof c->codes - n, "%s%s", n ? " " : "", h->ref + (k > 4 ? k - 4 : 0));
	n = strlen(c->kinds);
	snprintf(c->kinds + n, sizeof c->kinds - n, "%s%s", n ? " " : "", h->kind);
	return 0;
}

typedef struct {
	char buf[1024];
	const char *w[ST_SEARCH_WORDS_MAX];
	int n;
	size_t used;
} words;

static int add_word(void *p, const char *w, size_t len, size_t start, size_t end)
{
	words *ws = p;
	if (ws->n == ST_SEARCH_WORDS_MAX || ws->used + len + 1 > sizeof ws->buf)
		return 1;
	memcpy(ws->buf + ws->used, w, len);
	ws->buf[ws->used + len] = 0;
	ws->w[ws->n++] = ws->buf + ws->used;
	ws->used += len + 1;
	return 0;
}

/* q as the app makes it into words, searched in agency. Returns st_search's
 * status; out the hits; *total the count. No words: MC_OK, nothing. */
static int search(st *s, const char *agency, const char *q, int limit, int offset, hits *out,
		  int64_t *total)
{
	words ws = { .n = 0 };
	mc_err e = { 0 };
	memset(out, 0, sizeof *out);
	*total = 0;
	(void)txt_words(q, strlen(q), add_word, &ws);
	if (ws.n == 0)
		return MC_OK;
	int rc = st_search(s, agency, ws.w, ws.n, limit, offset, total, NULL, collect, out, &e);
	if (rc)
		fprintf(stderr, "search '%s': %s\n", q, e.msg);
	return rc;
}

/* The hits' codes (last 4 characters), sorted: the set found. */
static void sorted(const char *codes, char *out, size_t size)
{
	char w[64][8];
	int n = 0;
	for (const char *p = codes; *p && n < 64;) {
		size_t k = strcspn(p, " ");
		snprintf(w[n++], sizeof w[0], "%.*s", (int)k, p);
		p += k + (p[k] == ' ');
	}
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
			char t[8];
			memcpy(t, w[j], sizeof t);
			memcpy(w[j], w[j - 1], sizeof t);
			memcpy(w[j - 1], t, sizeof t);
		}
	}
	out[0] = 0;
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", w[i]);
}

static const struct {
	const char *q, *want; /* want: the codes' last 4 characters, sorted */
} cases[] = {
	{ "nguyen van", "0001 0002" },           /* prefixes of whole words */
	{ "Nguyễn Văn", "0001 0002" },
	{ "Nguye\xcc\x82\xcc\x83n", "0001 0002" }, /* NFD; "nguyen" is no prefix of "nguyet" */
	{ "NGUY", "0001 0002 0003" },            /* a partial word */
	{ "nguyen binh", "0001 0002" },          /* AND: 0001 has Bình in its address */
	{ "binh nguyen an", "0001" },
	{ "dat", "0005" },                       /* Đạt: đ = d */
	{ "ĐẠT", "0005" },
	{ "đạt", "0005" },
	{ "hoa", "0001 0004" },
	{ "khai", "0001 0005" },
	{ "001099", "0001 0002 0003 0004 0005" }, /* id number prefix */
	{ "0912345678", "0001 0002 0003 0004 0005" },
	{ "250101 0003", "0003" },               /* the code's parts */
	{ "xyz", "" },
	{ "nguyen xyz", "" },
	/* hostile text: only its words are searched, never its syntax */
	{ "\"", "" },
	{ "\"nguyen", "0001 0002" },
	{ "NEAR(nguyen van", "" },
	{ "nguyen OR", "" },
	{ "*", "" },
	{ "-binh", "0001 0002" },
	{ "title:an", "" },
	{ "name:binh", "" },
	{ "' OR 1=1 --", "" },
	{ "'); DROP TABLE dossier; --", "" },
	{ "nguyen AND NOT van", "" },
	{ "^nguyen", "0001 0002" },
	{ "{title}: an", "" },
	{ "an + binh", "0001" },
	{ "nguyen*van\"", "0001 0002" },
};

static void test_queries(st *s)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		hits h;
		int64_t total = -1;
		char got[256];
		T_CASE(cases[i].q);
		CHECK_INT(search(s, AG, cases[i].q, 20, 0, &h, &total), MC_OK);
		sorted(h.codes, got, sizeof got);
		CHECK_STR(got, cases[i].want);
		CHECK_INT(total, (strlen(cases[i].want) + 1) / 5);
	}
}

/* bm25, a match in the title weighing 4 times one in the body. */
static void test_ranking(st *s)
{
	hits h;
	int64_t total;
	T_CASE("rank: the name before the address");
	CHECK_INT(search(s, AG, "hoa", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0004 0001");
	T_CASE("rank: both words in the name first");
	CHECK_INT(search(s, AG, "nguyen binh", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0002 0001");
	T_CASE("rank: a name before a procedure's summary");
	CHECK_INT(search(s, AG, "nguyet", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0003");
}

static void test_snippets(st *s)
{
	hits h;
	int64_t total;
	T_CASE("title marks the words as written");
	CHECK_INT(search(s, AG, "nguyen binh", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.title, "\001Nguyễn\002 Văn \001Bình\002");
	T_CASE("snippet of the body, with its diacritics");
	CHECK_INT(search(s, AG, "dang ky", 20, 0, &h, &total), MC_OK);
	CHECK(strstr(h.snippet, "\001Đăng\002 \001ký\002 kết hôn") != NULL);
	T_CASE("a partial word marks the whole word");
	CHECK_INT(search(s, AG, "chung thu", 20, 0, &h, &total), MC_OK);
	CHECK(strstr(h.snippet, "\001Chứng\002 \001thực\002") != NULL);
	T_CASE("an NFD query marks the NFC text");
	CHECK_INT(search(s, AG, "Tra\xcc\x82\xcc\x80n", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.title, "\001Trần\002 Thị Nguyệt");
}

static void test_paging(st *s)
{
	hits h;
	int64_t total;
	hits all, p2;
	char joined[2100];
	T_CASE("paging");
	CHECK_INT(search(s, AG, "thon", 20, 0, &all, &total), MC_OK);
	CHECK_INT(total, 4);
	CHECK_INT(search(s, AG, "thon", 2, 0, &h, &total), MC_OK);
	CHECK_INT(total, 4);
	CHECK_INT(search(s, AG, "thon", 2, 2, &p2, &total), MC_OK);
	snprintf(joined, sizeof joined, "%s %s", h.codes, p2.codes);
	CHECK_STR(joined, all.codes);
	CHECK_INT(search(s, AG, "thon", 2, 4, &h, &total), MC_OK);
	CHECK_STR(h.codes, "");
	CHECK_INT(total, 4);
	T_CASE("another agency's rows stay there");
	CHECK_INT(search(s, OTHER, "nguyen", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0001");
	CHECK(strstr(h.title, "Cường") != NULL);
	T_CASE("no words, too many words");
	mc_err e = { 0 };
	const char *many[ST_SEARCH_WORDS_MAX + 1];
	for (int i = 0; i <= ST_SEARCH_WORDS_MAX; i++)
		many[i] = "a";
	CHECK(st_search(s, AG, many, 0, 10, 0, &total, NULL, collect, &h, &e) != MC_OK);
	CHECK(st_search(s, AG, many, ST_SEARCH_WORDS_MAX + 1, 10, 0, &total, NULL, collect, &h, &e) !=
	      MC_OK);
	CHECK_INT(st_search(s, AG, many, ST_SEARCH_WORDS_MAX, 10, 0, &total, NULL, collect, &h, &e),
		  MC_OK);
}

/* The result's number is searched once recorded; files' text is indexed
 * and dropped through st_search_put / st_search_del. */
static void test_updates(st *s)
{
	mc_err e = { 0 };
	hits h;
	int64_t total;
	T_CASE("result number");
	CHECK_INT(search(s, AG, "123 qd", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "");
	st_result r = { .dossier = AG "-250101-0003", .agency = AG, .number = "123/QĐ-UBND",
			.date = "2025-01-05", .recorded_by = "lanhdao", .recorded_at = 900 };
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_end(s, st_result_set(s, &r, &e), &e), MC_OK);
	CHECK_INT(search(s, AG, "123 qd", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0003");
	CHECK(strstr(h.snippet, "\001123\002/\001QĐ\002-UBND") != NULL);

	T_CASE("a file's text");
	const char *ref = AG "-250101-0002/ab12cd";
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_end(s, st_search_put(s, "file", ref, AG, "Giấy chứng nhận",
					  "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT \001 thửa số 45\xff", &e),
			 &e),
		  MC_OK);
	CHECK_INT(search(s, AG, "quyen su dung dat", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.kinds, "file");
	CHECK_STR(h.codes, "12cd");
	CHECK(strstr(h.snippet, "\001QUYỀN\002 \001SỬ\002 \001DỤNG\002 \001ĐẤT\002") != NULL);
	int marks = 0;
	for (const char *p = h.snippet; *p; p++)
		marks += *p == '\001';
	CHECK_INT(marks, 4); /* the \001 in the text is no mark */
	CHECK(txt_utf8_valid(h.snippet, strlen(h.snippet)));
	T_CASE("indexed again: one row");
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_end(s, st_search_put(s, "file", ref, AG, "Giấy chứng nhận", "thửa số 46", &e),
			 &e),
		  MC_OK);
	CHECK_INT(search(s, AG, "quyen", 20, 0, &h, &total), MC_OK);
	CHECK_INT(total, 0);
	CHECK_INT(search(s, AG, "thua", 20, 0, &h, &total), MC_OK);
	CHECK_INT(total, 1);
	T_CASE("dropped");
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_end(s, st_search_del(s, "file", ref, &e), &e), MC_OK);
	CHECK_INT(search(s, AG, "thua", 20, 0, &h, &total), MC_OK);
	CHECK_INT(total, 0);
	CHECK_INT(st_search_del(s, "file", ref, &e), MC_OK); /* none left: fine */

	T_CASE("a rolled-back insert leaves no row");
	st_dossier d;
	memset(&d, 0, sizeof d);
	snprintf(d.code, sizeof d.code, AG "-250101-0009");
	snprintf(d.r.agency, sizeof d.r.agency, AG);
	snprintf(d.origin, sizeof d.origin, AG);
	snprintf(d.channel, sizeof d.channel, "direct");
	d.r.resume_state = -1;
	d.name = (char *)"Hoàng Văn Zung";
	d.id_number = d.phone = (char *)"";
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_dossier_insert(s, &d, "", &e), MC_OK);
	st_rollback(s);
	CHECK_INT(search(s, AG, "zung", 20, 0, &h, &total), MC_OK);
	CHECK_INT(total, 0);

	T_CASE("a transfer moves the rows to the new agency");
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_dossier_get(s, AG "-250101-0004", &d, &e), MC_OK);
	snprintf(d.r.agency, sizeof d.r.agency, OTHER);
	int urc = st_dossier_update(s, &d, &e);
	st_dossier_release(&d);
	CHECK_INT(st_end(s, urc, &e), MC_OK);
	CHECK_INT(search(s, AG, "hoa", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0001");
	CHECK_INT(search(s, OTHER, "hoa", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0004");
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_dossier_get(s, AG "-250101-0004", &d, &e), MC_OK);
	snprintf(d.r.agency, sizeof d.r.agency, AG);
	urc = st_dossier_update(s, &d, &e);
	st_dossier_release(&d);
	CHECK_INT(st_end(s, urc, &e), MC_OK);
	CHECK_INT(search(s, AG, "hoa", 20, 0, &h, &total), MC_OK);
	CHECK_INT(total, 2);

	T_CASE("rebuild keeps what it found");
	CHECK_INT(st_begin(s, &e), MC_OK);
	CHECK_INT(st_end(s, st_search_rebuild(s, &e), &e), MC_OK);
	for (size_t i = 0; i < 14; i++) {
		char got[256];
		CHECK_INT(search(s, AG, cases[i].q, 20, 0, &h, &total), MC_OK);
		sorted(h.codes, got, sizeof got);
		CHECK_STR(got, cases[i].want);
	}
	CHECK_INT(search(s, AG, "123 qd", 20, 0, &h, &total), MC_OK);
	CHECK_STR(h.codes, "0003");
}

/* A failing step inside the index write fails the insert: the caller's
 * transaction then rolls back the dossier with it. */
static void test_faults(st *s)
{
	mc_err e = { 0 };
	st_dossier d;
	memset(&d, 0, sizeof d);
	snprintf(d.code, sizeof d.code, AG "-250102-0001");
	snprintf(d.r.agency, sizeof d.r.agency, AG);
	snprintf(d.origin, sizeof d.origin, AG);
	snprintf(d.channel, sizeof d.channel, "direct");
	d.r.resume_state = -1;
	d.name = (char *)"Vũ Thị Xuân";
	d.id_number = d.phone = (char *)"";
	int64_t n0 = 0, n1 = 0;
	CHECK_INT(st_dossier_count(s, &n0, &e), MC_OK);
	for (int nth = 2; nth <= 5; nth++) {
		T_CASE("fault in the index write");
		CHECK_INT(st_begin(s, &e), MC_OK);
		st_fault_arm(nth, ST_FAULT_IO);
		int rc = st_dossier_insert(s, &d, "", &e);
		CHECK(rc != MC_OK);
		CHECK(st_fault_fired());
		st_rollback(s);
		st_fault_arm(0, 0);
		CHECK_INT(st_dossier_count(s, &n1, &e), MC_OK);
		CHECK_INT(n1, n0);
	}
}

/* More than ST_SEARCH_RANK_MAX matches: not ranked, the newest first, the
 * total capped and said so; one match fewer than the cap is ranked. Also:
 * only the last word is a prefix. */
static void test_cap(st *s)
{
	T_CASE("cap");
	mc_err e;
	CHECK_INT(st_begin(s, &e), MC_OK);
	int rc = MC_OK;
	for (int i = 0; !rc && i < ST_SEARCH_RANK_MAX + 50; i++) {
		char ref[96];
		snprintf(ref, sizeof ref, AG "-250202-%04d/cap%05d", i % 10000, i);
		rc = st_search_put(s, "file", ref, AG, "Biên bản",
				   i == 7 ? "xác minh xác minh xác minh nơi cư trú" : "xác minh nơi cư trú", &e);
	}
	CHECK_INT(st_end(s, rc, &e), MC_OK);
	words ws = { .n = 0 };
	(void)txt_words("xac minh", 8, add_word, &ws);
	int64_t total = 0;
	int capped = -1;
	hits h;
	memset(&h, 0, sizeof h);
	CHECK_INT(st_search(s, AG, ws.w, ws.n, 5, 0, &total, &capped, collect, &h, &e), MC_OK);
	CHECK_INT(capped, 1);
	CHECK_INT(total, ST_SEARCH_RANK_MAX + 1);
	/* the newest rows first (the last put), not the best (row 7) */
	char want[64];
	snprintf(want, sizeof want, "%04d %04d %04d %04d %04d", (ST_SEARCH_RANK_MAX + 49) % 10000,
		 (ST_SEARCH_RANK_MAX + 48) % 10000, (ST_SEARCH_RANK_MAX + 47) % 10000,
		 (ST_SEARCH_RANK_MAX + 46) % 10000, (ST_SEARCH_RANK_MAX + 45) % 10000);
	CHECK_STR(h.codes, want);
	T_CASE("only the last word is a prefix");
	ws = (words){ .n = 0 };
	(void)txt_words("xa minh", 7, add_word, &ws);
	memset(&h, 0, sizeof h);
	CHECK_INT(st_search(s, AG, ws.w, ws.n, 5, 0, &total, &capped, collect, &h, &e), MC_OK);
	CHECK_INT(total, 0); /* "xa" is a whole word: "xác" is not it */
	ws = (words){ .n = 0 };
	(void)txt_words("xac mi", 6, add_word, &ws);
	CHECK_INT(st_search(s, AG, ws.w, ws.n, 5, 0, &total, &capped, collect, &h, &e), MC_OK);
	CHECK_INT(total, ST_SEARCH_RANK_MAX + 1);
}

int main(void)
{
	st *s = open_fresh();
	if (!s)
		return 1;
	T_CASE("insert");
	CHECK_INT(insert_all(s), MC_OK);
	test_queries(s);
	test_ranking(s);
	test_snippets(s);
	test_paging(s);
	test_updates(s);
	test_faults(s);
	test_cap(s);
	remove_fresh(s);
	return t_done();
}
