/*
 * docs_test.c - the document registers' numbering and search in the store
 * (src/store/st_docs.c, schema 17): numbers per agency, book, year and
 * series; a number taken by hand raises the counter; the filter's
 * confidential rule.
 */
#include "fresh.h"
#include "store/st_docs.h"
#include "t.h"

/* Steps of numbering, one a row: next (no 0) or take (no > 0), and the
 * number expected. */
static const struct {
	const char *agency, *book;
	int year;
	const char *series;
	long long take, want;
} steps[] = {
	{ "A", "in", 2026, "", 0, 1 },
	{ "A", "in", 2026, "", 0, 2 },
	{ "A", "in", 2027, "", 0, 1 },         /* a new year starts at 1 */
	{ "A", "in", 2026, "", 0, 3 },         /* the old year goes on */
	{ "B", "in", 2026, "", 0, 1 },         /* another agency's book */
	{ "A", "out", 2026, "quyet_dinh", 0, 1 },
	{ "A", "out", 2026, "cong_van", 0, 1 }, /* each type its own series */
	{ "A", "out", 2026, "quyet_dinh", 0, 2 },
	{ "A", "in", 2026, "", 50, 50 },       /* taken by hand */
	{ "A", "in", 2026, "", 0, 51 },        /* the next follow it */
	{ "A", "in", 2026, "", 10, 10 },       /* a lower gap taken */
	{ "A", "in", 2026, "", 0, 52 },        /* does not pull it back */
};

static int count_one(void *ctx, const st_doc *d)
{
	(void)d;
	(*(int *)ctx)++;
	return 0;
}

static void put(st *s, const char *id, int64_t no, const char *secrecy, const char *assignee,
		const char *excerpt)
{
	mc_err e = { 0 };
	st_doc d = { .agency = "A", .book = "in", .year = 2026, .series = "", .no = no, .id = id,
		     .type = "cong_van", .symbol = "1/X", .day = "2026-03-02", .excerpt = excerpt,
		     .urgency = "thuong", .secrecy = secrecy, .assignee = assignee, .state = "new",
		     .registered_by = "t", .registered_at = 1, .updated_at = 1, .last_seq = 1,
		     .fold_pub = "1 1/x cong van", .fold_text = excerpt };
	CHECK_INT(st_doc_insert(s, &d, &e), MC_OK);
}

int main(void)
{
	st *s = open_fresh_named("docs");
	if (!s)
		return 1;
	mc_err e = { 0 };
	CHECK_INT(st_begin(s, &e), MC_OK);
	for (size_t i = 0; i < MC_ARRAY_LEN(steps); i++) {
		T_CASE(steps[i].book);
		int64_t no = 0;
		if (steps[i].take) {
			CHECK_INT(st_doc_take(s, steps[i].agency, steps[i].book, steps[i].year,
					      steps[i].series, steps[i].take, &e), MC_OK);
			no = steps[i].take;
		} else {
			CHECK_INT(st_doc_next(s, steps[i].agency, steps[i].book, steps[i].year,
					      steps[i].series, &no, &e), MC_OK);
		}
		CHECK_INT(no, steps[i].want);
	}
	T_CASE("used, and the table's key refuses a second entry");
	put(s, "2026-1", 1, "thuong", "", "ra soat nhiem vu");
	put(s, "2026-2", 2, "mat", "minh", "muc tieu trong diem");
	int used = 0;
	CHECK_INT(st_doc_used(s, "A", "in", 2026, "", 1, &used, &e), MC_OK);
	CHECK_INT(used, 1);
	CHECK_INT(st_doc_used(s, "A", "in", 2026, "", 3, &used, &e), MC_OK);
	CHECK_INT(used, 0);
	st_doc dup = { .agency = "A", .book = "in", .year = 2026, .series = "", .no = 1, .id = "x",
		       .type = "cong_van", .symbol = "", .day = "2026-03-02", .excerpt = "",
		       .urgency = "thuong", .secrecy = "thuong", .registered_by = "t",
		       .fold_pub = "", .fold_text = "" };
	CHECK_INT(st_doc_insert(s, &dup, &e), MC_ECONFLICT);
	CHECK_INT(st_commit(s, &e), MC_OK);

	T_CASE("a confidential excerpt matches only for who may read it");
	static const struct {
		const char *q, *login;
		int priv, want;
	} finds[] = {
		{ "ra soat", "lan", 0, 1 },
		{ "trong diem", "lan", 0, 0 },  /* secret, not theirs */
		{ "trong diem", "minh", 0, 1 }, /* their assignee */
		{ "trong diem", "lan", 1, 1 },  /* a leader */
		{ "cong van", "lan", 0, 2 },    /* the entry itself shows */
		{ "'; drop", "lan", 1, 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(finds); i++) {
		T_CASE(finds[i].q);
		st_doc_filter f = { .agency = "A", .book = "in", .fold_q = finds[i].q,
				    .login = finds[i].login, .privileged = finds[i].priv };
		int n = 0;
		int64_t total = -1;
		CHECK_INT(st_doc_list(s, &f, count_one, &n, &e), MC_OK);
		CHECK_INT(st_doc_count(s, &f, &total, &e), MC_OK);
		CHECK_INT(n, finds[i].want);
		CHECK_INT(total, finds[i].want);
	}
	remove_fresh(s);
	return t_done();
}
