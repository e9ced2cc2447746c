/*
 * st_search.c - the full-text index (schema 0011; st_search.h): the FTS5
 * tokenizer motcua_vi, registered on every connection before migrations
 * run; the dossiers' index rows, rewritten by the store's writes in their
 * transaction; the query, built from folded words so that no user text is
 * ever parsed as FTS5 syntax.
 */
#include "st_int.h"

#include "core/txt.h"
#include "st_search.h"
#include "sb.h"

static const char *const sql[Q_N] = {
	[Q_SEARCH_REF_PUT] = "INSERT INTO search_ref(kind, ref, dossier, agency) VALUES (:kind, "
			     ":ref, :dossier, :agency) ON CONFLICT(kind, ref) DO UPDATE SET "
			     "dossier = excluded.dossier, agency = excluded.agency RETURNING id",
	[Q_SEARCH_DOC_DEL] = "DELETE FROM search_doc WHERE rowid = :id",
	[Q_SEARCH_DOC_INS] = "INSERT INTO search_doc(rowid, title, body) VALUES (:id, :title, :body)",
	[Q_SEARCH_REF_GET] = "SELECT id FROM search_ref WHERE kind = :kind AND ref = :ref",
	[Q_SEARCH_REF_DEL] = "DELETE FROM search_ref WHERE id = :id",
	[Q_SEARCH_DOSSIER] = "SELECT d.agency, d.code, d.kind, d.name, d.org_name, d.representative, "
			     "d.id_number, d.tax_code, d.phone, d.email, d.address, d.summary, "
			     "coalesce(p.name, ''), coalesce(r.number, '') FROM dossier d "
			     "LEFT JOIN procedure p ON p.code = d.procedure "
			     "LEFT JOIN dossier_result r ON r.dossier = d.code WHERE d.code = :code",
	/* The page's ids first, then the snippets of those only: snippet()
	 * in the ranked query would run on every match before the sort. The
	 * count comes with the page (one pass over the matches); the agency
	 * is search_ref's, kept equal to the dossier's (st_search_agency), so
	 * that no match costs a lookup in dossier. */
	[Q_SEARCH_QUERY] =
		"WITH m AS MATERIALIZED (SELECT search_doc.rowid AS id, "
		"bm25(search_doc, 4.0, 1.0) AS score FROM search_doc "
		"JOIN search_ref r ON r.id = search_doc.rowid "
		"WHERE search_doc MATCH :q AND r.agency = :agency), "
		"top AS MATERIALIZED (SELECT id, score, (SELECT count(*) FROM m) AS total FROM m "
		"ORDER BY score, id DESC LIMIT :limit OFFSET :offset) "
		"SELECT r.kind, r.ref, r.dossier, coalesce(d.status, ''), coalesce(d.procedure, ''), "
		"coalesce(d.received_at, 0), coalesce(d.submitted_at, 0), "
		"highlight(search_doc, 0, char(1), char(2)), "
		"snippet(search_doc, 1, char(1), char(2), '…', 24), top.total "
		"FROM top CROSS JOIN search_doc ON search_doc.rowid = top.id "
		"JOIN search_ref r ON r.id = top.id LEFT JOIN dossier d ON d.code = r.dossier "
		"WHERE search_doc MATCH :q ORDER BY top.score, top.id DESC",
	/* only for a page past the end, which has no row to carry the count */
	/* Too many matches to rank them all: the newest first, which the
	 * index yields in order and stops after the page. */
	[Q_SEARCH_RECENT] =
		"WITH top AS MATERIALIZED (SELECT search_doc.rowid AS id, 0 AS score, 0 AS total "
		"FROM search_doc JOIN search_ref r ON r.id = search_doc.rowid "
		"WHERE search_doc MATCH :q AND r.agency = :agency "
		"ORDER BY search_doc.rowid DESC LIMIT :limit OFFSET :offset) "
		"SELECT r.kind, r.ref, r.dossier, coalesce(d.status, ''), coalesce(d.procedure, ''), "
		"coalesce(d.received_at, 0), coalesce(d.submitted_at, 0), "
		"highlight(search_doc, 0, char(1), char(2)), "
		"snippet(search_doc, 1, char(1), char(2), '…', 24), top.total "
		"FROM top CROSS JOIN search_doc ON search_doc.rowid = top.id "
		"JOIN search_ref r ON r.id = top.id LEFT JOIN dossier d ON d.code = r.dossier "
		"WHERE search_doc MATCH :q ORDER BY top.score, top.id DESC",
	/* only for a page past the end, which has no row to carry the count */
	/* The text read from a file, for each dossier holding it. */
	[Q_SEARCH_FILE] = "SELECT d.dossier, d.agency, coalesce(nullif(x.org_name, ''), x.name, "
			  "d.filename), (SELECT group_concat(text, ' ') FROM (SELECT text FROM "
			  "file_text t WHERE t.sha256 = d.sha256 ORDER BY page)) AS body "
			  "FROM dossier_file d LEFT JOIN dossier x ON x.code = d.dossier "
			  "WHERE d.sha256 = :sha256 GROUP BY d.dossier, d.agency "
			  "HAVING body IS NOT NULL",
	/* How many match, counted up to a cap. */
	[Q_SEARCH_CAPPED] = "SELECT count(*) FROM (SELECT 1 FROM search_doc JOIN search_ref r ON "
			    "r.id = search_doc.rowid WHERE search_doc MATCH :q AND r.agency = :agency "
			    "LIMIT :cap)",
	[Q_SEARCH_COUNT] = "SELECT count(*) FROM search_doc JOIN search_ref r ON r.id = search_doc.rowid "
			   "WHERE search_doc MATCH :q AND r.agency = :agency",
	[Q_SEARCH_AGENCY] = "UPDATE search_ref SET agency = :agency WHERE dossier = :code "
			    "AND agency <> :agency",
};

/* ---- the tokenizer ---- */

typedef struct {
	void *ctx;
	int (*token)(void *ctx, int flags, const char *tok, int n, int start, int end);
} tok_ctx;

static int tok_word(void *p, const char *w, size_t len, size_t start, size_t end)
{
	tok_ctx *c = p;
	return c->token(c->ctx, 0, w, (int)len, (int)start, (int)end);
}

/* One tokenizer serves every table: it has no options and no state. */
static int tok_create(void *unused, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int instance;
	*out = (Fts5Tokenizer *)&instance;
	return argc == 0 ? SQLITE_OK : SQLITE_ERROR;
}

static void tok_delete(Fts5Tokenizer *t)
{
}

/* The same words for documents and queries (flags): a query's words were
 * folded by the same function before they were quoted (build_match). */
static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
			int (*token)(void *, int, const char *, int, int, int))
{
	tok_ctx c = { ctx, token };
	if (n <= 0)
		return SQLITE_OK;
	return txt_words(text, (size_t)n, tok_word, &c);
}

int st_search_register(st *s, mc_err *e)
{
	fts5_api *api = NULL;
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, "SELECT fts5(?1)", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return st_fail(s, rc, "find FTS5", e);
	sqlite3_bind_pointer(q, 1, (void *)&api, "fts5_api_ptr", NULL);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW || !api)
		return mc_fail(e, MCE_STORE_IO, "thư viện SQLite không có FTS5",
			       "the SQLite library has no FTS5");
	fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
	rc = api->xCreateTokenizer(api, "motcua_vi", NULL, &tok, NULL);
	return rc == SQLITE_OK ? MC_OK : st_fail(s, rc, "register the search tokenizer", e);
}

/* ---- index rows ---- */

/* s as stored in the index: the hit marks replaced by spaces and invalid
 * UTF-8 by '?', so a snippet is always valid text whose marks are ours.
 * Caller frees. */
static char *clean_text(const char *s)
{
	size_t n = strlen(s);
	char *out = mc_xmalloc(n + 1);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (c >= 0x80 && (i + k > n || !txt_utf8_valid(s + i, k))) {
			out[i++] = '?';
			continue;
		}
		if (c == (unsigned char)ST_SEARCH_HIT_ON || c == (unsigned char)ST_SEARCH_HIT_OFF)
			out[i] = ' ';
		else
			memcpy(out + i, s + i, k);
		i += k;
	}
	out[n] = 0;
	return out;
}

int st_search_put(st *s, const char *kind, const char *ref, const char *agency, const char *title,
		  const char *body, mc_err *e)
{
	char dossier[128];
	const char *slash = strchr(ref, '/');
	snprintf(dossier, sizeof dossier, "%.*s", slash ? (int)(slash - ref) : (int)strlen(ref),
		 ref);
	st_stmt q;
	int rc = ST_Q(s, Q_SEARCH_REF_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":kind", kind);
	st_bind_text(&q, ":ref", ref);
	st_bind_text(&q, ":dossier", dossier);
	st_bind_text(&q, ":agency", agency);
	rc = st_one(&q, "index for search", e);
	if (rc == MC_ENOTFOUND) /* an upsert with RETURNING always returns */
		return mc_fail(e, MCE_STORE_IO, "đánh chỉ mục tìm kiếm: không có kết quả",
			       "index for search: no row returned");
	if (rc)
		return rc;
	int64_t id = st_col_int64(&q, 0);
	rc = st_exec_q(&q, "index for search", e);
	if (!rc)
		rc = ST_Q(s, Q_SEARCH_DOC_DEL, &q, e);
	if (!rc) {
		st_bind_int(&q, ":id", id);
		rc = st_exec_q(&q, "index for search", e);
	}
	if (!rc)
		rc = ST_Q(s, Q_SEARCH_DOC_INS, &q, e);
	if (rc)
		return rc;
	char *t = clean_text(title ? title : ""), *b = clean_text(body ? body : "");
	st_bind_int(&q, ":id", id);
	st_bind_text(&q, ":title", t);
	st_bind_text(&q, ":body", b);
	rc = st_exec_q(&q, "index for search", e);
	free(t);
	free(b);
	return rc;
}

int st_search_del(st *s, const char *kind, const char *ref, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SEARCH_REF_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":kind", kind);
	st_bind_text(&q, ":ref", ref);
	rc = st_one(&q, "drop from the search index", e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (rc)
		return rc;
	int64_t id = st_col_int64(&q, 0);
	st_reset(&q);
	const int steps[] = { Q_SEARCH_DOC_DEL, Q_SEARCH_REF_DEL };
	for (int i = 0; !rc && i < (int)MC_ARRAY_LEN(steps); i++) {
		rc = ST_Q(s, steps[i], &q, e);
		if (!rc) {
			st_bind_int(&q, ":id", id);
			rc = st_exec_q(&q, "drop from the search index", e);
		}
	}
	return rc;
}

/* Appends each non-empty part, " · " between them. */
static void add_parts(sb *b, const char *const *parts, int n)
{
	for (int i = 0; i < n; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		if (b->len)
			sb_add(b, " · ");
		sb_add(b, parts[i]);
	}
}

int st_search_dossier(st *s, const char *code, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SEARCH_DOSSIER, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read dossier to index", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_DOSSIER_NOT_FOUND, "không có hồ sơ mã '%s'",
			       "unknown dossier '%s'", code);
	if (rc)
		return rc;
	/* Only values, no labels: a label would match every dossier. */
	sb title, body;
	sb_init(&title, 4096);
	sb_init(&body, 64 * 1024);
	int org = strcmp(st_col_text(&q, 2), "organisation") == 0;
	const char *who[] = { org ? st_col_text(&q, 4) : NULL, st_col_text(&q, 3),
			      org ? st_col_text(&q, 5) : NULL };
	add_parts(&title, who, (int)MC_ARRAY_LEN(who));
	const char *what[] = { st_col_text(&q, 1),  st_col_text(&q, 12), st_col_text(&q, 6),
			       st_col_text(&q, 7),  st_col_text(&q, 8),  st_col_text(&q, 9),
			       st_col_text(&q, 10), st_col_text(&q, 11), st_col_text(&q, 13) };
	add_parts(&body, what, (int)MC_ARRAY_LEN(what));
	char agency[64];
	snprintf(agency, sizeof agency, "%s", st_col_text(&q, 0));
	st_reset(&q);
	if (sb_err(&title) || sb_err(&body))
		rc = mc_fail(e, MCE_STORE_IO, "hồ sơ '%s' quá dài để đánh chỉ mục",
			     "dossier '%s' is too long to index", code);
	else
		rc = st_search_put(s, "dossier", code, agency, sb_str(&title), sb_str(&body), e);
	sb_release(&title);
	sb_release(&body);
	return rc;
}

int st_search_rebuild(st *s, mc_err *e)
{
	int rc = st_exec_sql(s,
			     "DELETE FROM search_doc WHERE rowid IN "
			     "(SELECT id FROM search_ref WHERE kind = 'dossier'); "
			     "DELETE FROM search_ref WHERE kind = 'dossier'",
			     "rebuild the search index", e);
	if (rc)
		return rc;
	st_stmt q;
	rc = st_prepare(s, "SELECT code FROM dossier ORDER BY code", &q, e);
	if (rc) {
		st_finalize(&q);
		return rc;
	}
	int step;
	while (!rc && (step = st_step(&q)) == SQLITE_ROW) {
		char code[128];
		snprintf(code, sizeof code, "%s", st_col_text(&q, 0));
		rc = st_search_dossier(s, code, e);
	}
	if (!rc)
		rc = st_walk_end(&q, step, "rebuild the search index", e);
	st_finalize(&q);
	return rc;
}

/* ---- the query ---- */

/* `"w1" "w2" ... "wn"*`: each word quoted, all required, the last one a
 * prefix (it may be still being typed). A prefix merges the doclists of
 * every word it starts: on every word, a common phrase searched in
 * 100,000 pages of scanned text took a second instead of tens of
 * milliseconds (make bench section 7). A folded word
 * holds only letters and digits, but a quote is doubled all the same, so
 * nothing a user types is read as FTS5 syntax. */
static int build_match(sb *m, const char *const *words, int n)
{
	for (int i = 0; i < n; i++) {
		sb_add(m, i ? " \"" : "\"");
		for (const char *p = words[i]; *p; p++)
			sb_add(m, *p == '"' ? "\"\"" : (char[2]){ *p, 0 });
		sb_add(m, i == n - 1 ? "\"*" : "\"");
	}
	return sb_err(m);
}

int st_search(st *s, const char *agency, const char *const *words, int n, int limit, int offset,
	      int64_t *total, int *capped_out, st_search_cb cb, void *ctx, mc_err *e)
{
	*total = 0;
	if (capped_out)
		*capped_out = 0;
	if (n < 1 || n > ST_SEARCH_WORDS_MAX)
		return mc_fail(e, MCE_STORE_IO, "tìm kiếm cần 1 đến %d từ",
			       "a search takes 1 to %d words", ST_SEARCH_WORDS_MAX);
	sb m;
	sb_init(&m, 8192);
	if (build_match(&m, words, n)) {
		sb_release(&m);
		return mc_fail(e, MCE_STORE_IO, "câu tìm kiếm quá dài", "the search is too long");
	}
	/* Ranking costs a score for every match: beyond ST_SEARCH_RANK_MAX
	 * matches the newest come first and the total says "more than". */
	st_stmt q;
	int rc = ST_Q(s, Q_SEARCH_CAPPED, &q, e);
	int64_t seen = 0;
	if (!rc) {
		st_bind_text(&q, ":q", sb_str(&m));
		st_bind_text(&q, ":agency", agency);
		st_bind_int(&q, ":cap", ST_SEARCH_RANK_MAX + 1);
		rc = st_one(&q, "search", e);
		if (!rc)
			seen = st_col_int64(&q, 0);
		st_reset(&q);
	}
	int capped = seen > ST_SEARCH_RANK_MAX;
	if (capped_out)
		*capped_out = capped;
	if (!rc)
		rc = ST_Q(s, capped ? Q_SEARCH_RECENT : Q_SEARCH_QUERY, &q, e);
	if (rc) {
		sb_release(&m);
		return rc;
	}
	st_bind_text(&q, ":q", sb_str(&m));
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":limit", limit);
	st_bind_int(&q, ":offset", offset);
	int step, rows = 0;
	while ((step = st_step(&q)) == SQLITE_ROW) {
		st_search_hit h = {
			.kind = st_col_text(&q, 0),
			.ref = st_col_text(&q, 1),
			.dossier = st_col_text(&q, 2),
			.status = st_col_text(&q, 3),
			.procedure = st_col_text(&q, 4),
			.received_at = st_col_int64(&q, 5),
			.submitted_at = st_col_int64(&q, 6),
			.title = st_col_text(&q, 7),
			.snippet = st_col_text(&q, 8),
		};
		*total = capped ? seen : st_col_int64(&q, 9);
		rows++;
		if (cb(ctx, &h))
			break;
	}
	rc = st_walk_end(&q, step, "search", e);
	if (!rc && capped)
		*total = seen;
	else if (!rc && rows == 0 && offset > 0) {
		rc = ST_Q(s, Q_SEARCH_COUNT, &q, e);
		if (!rc) {
			st_bind_text(&q, ":q", sb_str(&m));
			st_bind_text(&q, ":agency", agency);
			rc = st_one(&q, "search", e);
			if (!rc)
				*total = st_col_int64(&q, 0);
			st_reset(&q);
		}
	}
	sb_release(&m);
	return rc;
}

int st_search_file(st *s, const char *sha256, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SEARCH_FILE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":sha256", sha256);
	int step;
	while (!rc && (step = st_step(&q)) == SQLITE_ROW) {
		char ref[256];
		snprintf(ref, sizeof ref, "%s/%s", st_col_text(&q, 0), sha256);
		rc = st_search_put(s, "file", ref, st_col_text(&q, 1), st_col_text(&q, 2),
				   st_col_text(&q, 3), e);
	}
	if (rc) {
		st_reset(&q);
		return rc;
	}
	return st_walk_end(&q, step, "index a file's text", e);
}

int st_search_agency(st *s, const char *code, const char *agency, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SEARCH_AGENCY, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	st_bind_text(&q, ":agency", agency);
	return st_exec_q(&q, "index for search", e);
}
