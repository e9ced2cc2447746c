/*
 * st_docs.c - the official document registers (schema 17). See st_docs.h.
 */
#include "st_int.h"
#include "st_docs.h"

#define DOC_COLS                                                                              \
	"agency, book, year, series, no, id, type, symbol, doc_date, day, excerpt, urgency, "  \
	"secrecy, attachments, note, received_at, issuer, assignee, unit, due_at, state, "     \
	"done_at, done_by, issuer_abbr, signer_name, signer_title, recipients, copies, "       \
	"registered_by, registered_at, updated_at, last_seq, fold_pub, fold_text"
#define DOC_VALS                                                                              \
	":agency, :book, :year, :series, :no, :id, :type, :symbol, :doc_date, :day, :excerpt, " \
	":urgency, :secrecy, :attachments, :note, :received_at, :issuer, :assignee, :unit, "  \
	":due_at, :state, :done_at, :done_by, :issuer_abbr, :signer_name, :signer_title, "    \
	":recipients, :copies, :registered_by, :registered_at, :updated_at, :last_seq, "      \
	":fold_pub, :fold_text"
/* The filter of st_doc_filter; a NULL binding is "any". The excerpt of a
 * confidential entry matches only for whoever may read it. */
#define DOC_WHERE                                                                            \
	" WHERE agency = :agency AND book = :book AND (:year = 0 OR year = :year) "          \
	"AND (:type IS NULL OR type = :type) AND (:urgency IS NULL OR urgency = :urgency) "  \
	"AND (:secrecy IS NULL OR secrecy = :secrecy) AND (:state IS NULL OR state = :state " \
	"OR (:state = 'open' AND state IN ('new','assigned'))) "                             \
	"AND (:assignee IS NULL OR assignee = :assignee) AND (:unit IS NULL OR unit = :unit) " \
	"AND (:from IS NULL OR day >= :from) AND (:to IS NULL OR day <= :to) "              \
	"AND (:q IS NULL OR instr(fold_pub, :q) > 0 OR (instr(fold_text, :q) > 0 AND "     \
	"(secrecy = 'thuong' OR :priv = 1 OR (assignee <> '' AND assignee = :login) OR "    \
	"(book = 'in' AND assignee = '' AND unit <> '' AND unit = :lunit))))"
#define DOC_PAGE " LIMIT :limit OFFSET :offset"

static const char *const sql[Q_N] = {
	[Q_DOC_NEXT] = "INSERT INTO document_serial(agency, book, year, series, last) "
		       "VALUES (:agency, :book, :year, :series, 1) "
		       "ON CONFLICT(agency, book, year, series) DO UPDATE SET last = last + 1 "
		       "RETURNING last",
	[Q_DOC_TAKE] = "INSERT INTO document_serial(agency, book, year, series, last) "
		       "VALUES (:agency, :book, :year, :series, :no) "
		       "ON CONFLICT(agency, book, year, series) DO UPDATE SET last = max(last, :no)",
	[Q_DOC_USED] = "SELECT 1 FROM document WHERE agency = :agency AND book = :book "
		       "AND year = :year AND series = :series AND no = :no",
	[Q_DOC_INSERT] = "INSERT INTO document(" DOC_COLS ") VALUES (" DOC_VALS ")",
	[Q_DOC_UPDATE] =
		"UPDATE document SET type = :type, symbol = :symbol, doc_date = :doc_date, "
		"day = :day, excerpt = :excerpt, urgency = :urgency, secrecy = :secrecy, "
		"attachments = :attachments, note = :note, received_at = :received_at, "
		"issuer = :issuer, assignee = :assignee, unit = :unit, due_at = :due_at, "
		"state = :state, done_at = :done_at, done_by = :done_by, issuer_abbr = :issuer_abbr, "
		"signer_name = :signer_name, signer_title = :signer_title, recipients = :recipients, "
		"copies = :copies, updated_at = :updated_at, last_seq = :last_seq, "
		"fold_pub = :fold_pub, fold_text = :fold_text "
		"WHERE agency = :agency AND book = :book AND id = :id",
	[Q_DOC_GET] = "SELECT " DOC_COLS " FROM document "
		      "WHERE agency = :agency AND book = :book AND id = :id",
	[Q_DOC_LIST_IN] = "SELECT " DOC_COLS " FROM document" DOC_WHERE
			  " ORDER BY year DESC, no DESC" DOC_PAGE,
	[Q_DOC_LIST_OUT] = "SELECT " DOC_COLS " FROM document" DOC_WHERE
			   " ORDER BY day DESC, registered_at DESC, series, no DESC" DOC_PAGE,
	[Q_DOC_BOOK_IN] = "SELECT " DOC_COLS " FROM document" DOC_WHERE
			  " ORDER BY year, no" DOC_PAGE,
	[Q_DOC_BOOK_OUT] = "SELECT " DOC_COLS " FROM document" DOC_WHERE
			   " ORDER BY day, registered_at, series, no" DOC_PAGE,
	[Q_DOC_COUNT] = "SELECT count(*) FROM document" DOC_WHERE,
};

static void bind_key(st_stmt *q, const char *agency, const char *book, int year,
		     const char *series)
{
	st_bind_text(q, ":agency", agency);
	st_bind_text(q, ":book", book);
	st_bind_int(q, ":year", year);
	st_bind_text(q, ":series", series);
}

int st_doc_next(st *s, const char *agency, const char *book, int year, const char *series,
		int64_t *no, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_NEXT, &q, e);
	if (rc)
		return rc;
	bind_key(&q, agency, book, year, series);
	rc = st_one(&q, "number the register entry", e);
	if (rc == MC_ENOTFOUND) /* an upsert with RETURNING always returns */
		return mc_fail(e, MCE_STORE_IO, "đánh số văn bản: không có kết quả",
			       "number the register entry: no row returned");
	if (rc)
		return rc;
	*no = st_col_int64(&q, 0);
	st_reset(&q);
	return MC_OK;
}

int st_doc_take(st *s, const char *agency, const char *book, int year, const char *series,
		int64_t no, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_TAKE, &q, e);
	if (rc)
		return rc;
	bind_key(&q, agency, book, year, series);
	st_bind_int(&q, ":no", no);
	return st_exec_q(&q, "record the register number", e);
}

int st_doc_used(st *s, const char *agency, const char *book, int year, const char *series,
		int64_t no, int *used, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_USED, &q, e);
	if (rc)
		return rc;
	bind_key(&q, agency, book, year, series);
	st_bind_int(&q, ":no", no);
	rc = st_one(&q, "look the number up", e);
	*used = rc == MC_OK;
	st_reset(&q);
	return rc == MC_ENOTFOUND ? MC_OK : rc;
}

/* Every column but the name, for an insert or an update. */
static void bind_doc(st_stmt *q, const st_doc *d)
{
	st_bind_text(q, ":agency", d->agency);
	st_bind_text(q, ":book", d->book);
	st_bind_text(q, ":id", d->id);
	st_bind_text(q, ":type", d->type);
	st_bind_text(q, ":symbol", d->symbol);
	st_bind_text(q, ":doc_date", d->doc_date ? d->doc_date : "");
	st_bind_text(q, ":day", d->day);
	st_bind_text(q, ":excerpt", d->excerpt);
	st_bind_text(q, ":urgency", d->urgency);
	st_bind_text(q, ":secrecy", d->secrecy);
	st_bind_text(q, ":attachments", d->attachments ? d->attachments : "[]");
	st_bind_text(q, ":note", d->note ? d->note : "");
	st_bind_int(q, ":received_at", d->received_at);
	st_bind_text(q, ":issuer", d->issuer ? d->issuer : "");
	st_bind_text(q, ":assignee", d->assignee ? d->assignee : "");
	st_bind_text(q, ":unit", d->unit ? d->unit : "");
	st_bind_int(q, ":due_at", d->due_at);
	st_bind_text(q, ":state", d->state ? d->state : "");
	st_bind_int(q, ":done_at", d->done_at);
	st_bind_text(q, ":done_by", d->done_by ? d->done_by : "");
	st_bind_text(q, ":issuer_abbr", d->issuer_abbr ? d->issuer_abbr : "");
	st_bind_text(q, ":signer_name", d->signer_name ? d->signer_name : "");
	st_bind_text(q, ":signer_title", d->signer_title ? d->signer_title : "");
	st_bind_text(q, ":recipients", d->recipients ? d->recipients : "[]");
	st_bind_int(q, ":copies", d->copies);
	st_bind_int(q, ":updated_at", d->updated_at);
	st_bind_int(q, ":last_seq", d->last_seq);
	st_bind_text(q, ":fold_pub", d->fold_pub);
	st_bind_text(q, ":fold_text", d->fold_text);
}

int st_doc_insert(st *s, const st_doc *d, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_INSERT, &q, e);
	if (rc)
		return rc;
	bind_doc(&q, d);
	st_bind_int(&q, ":year", d->year);
	st_bind_text(&q, ":series", d->series);
	st_bind_int(&q, ":no", d->no);
	st_bind_text(&q, ":registered_by", d->registered_by);
	st_bind_int(&q, ":registered_at", d->registered_at);
	return st_exec_q(&q, "add the register entry", e);
}

int st_doc_update(st *s, const st_doc *d, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_UPDATE, &q, e);
	if (rc)
		return rc;
	bind_doc(&q, d);
	return st_exec_q(&q, "change the register entry", e);
}

static void read_doc(const st_stmt *q, st_doc *d)
{
	int i = 0;
	d->agency = st_col_text(q, i++);
	d->book = st_col_text(q, i++);
	d->year = st_col_int(q, i++);
	d->series = st_col_text(q, i++);
	d->no = st_col_int64(q, i++);
	d->id = st_col_text(q, i++);
	d->type = st_col_text(q, i++);
	d->symbol = st_col_text(q, i++);
	d->doc_date = st_col_text(q, i++);
	d->day = st_col_text(q, i++);
	d->excerpt = st_col_text(q, i++);
	d->urgency = st_col_text(q, i++);
	d->secrecy = st_col_text(q, i++);
	d->attachments = st_col_text(q, i++);
	d->note = st_col_text(q, i++);
	d->received_at = st_col_int64(q, i++);
	d->issuer = st_col_text(q, i++);
	d->assignee = st_col_text(q, i++);
	d->unit = st_col_text(q, i++);
	d->due_at = st_col_int64(q, i++);
	d->state = st_col_text(q, i++);
	d->done_at = st_col_int64(q, i++);
	d->done_by = st_col_text(q, i++);
	d->issuer_abbr = st_col_text(q, i++);
	d->signer_name = st_col_text(q, i++);
	d->signer_title = st_col_text(q, i++);
	d->recipients = st_col_text(q, i++);
	d->copies = st_col_int(q, i++);
	d->registered_by = st_col_text(q, i++);
	d->registered_at = st_col_int64(q, i++);
	d->updated_at = st_col_int64(q, i++);
	d->last_seq = st_col_int64(q, i++);
	d->fold_pub = st_col_text(q, i++);
	d->fold_text = st_col_text(q, i++);
}

int st_doc_get(st *s, const char *agency, const char *book, const char *id, st_doc_cb cb,
	       void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":book", book);
	st_bind_text(&q, ":id", id);
	rc = st_one(&q, "read the register entry", e);
	if (rc)
		return rc;
	st_doc d;
	read_doc(&q, &d);
	cb(ctx, &d);
	st_reset(&q);
	return MC_OK;
}

static void bind_filter(st_stmt *q, const st_doc_filter *f)
{
	st_bind_text(q, ":agency", f->agency);
	st_bind_text(q, ":book", f->book);
	st_bind_int(q, ":year", f->year);
	st_bind_text(q, ":type", f->type);
	st_bind_text(q, ":urgency", f->urgency);
	st_bind_text(q, ":secrecy", f->secrecy);
	st_bind_text(q, ":state", f->state);
	st_bind_text(q, ":assignee", f->assignee);
	st_bind_text(q, ":unit", f->unit);
	st_bind_text(q, ":from", f->day_from);
	st_bind_text(q, ":to", f->day_to);
	st_bind_text(q, ":q", f->fold_q && *f->fold_q ? f->fold_q : NULL);
	st_bind_int(q, ":priv", f->privileged ? 1 : 0);
	st_bind_text(q, ":login", f->login ? f->login : "");
	st_bind_text(q, ":lunit", f->login_unit ? f->login_unit : "");
}

int st_doc_list(st *s, const st_doc_filter *f, st_doc_cb cb, void *ctx, mc_err *e)
{
	int out = strcmp(f->book, "out") == 0;
	int id = f->ascending ? (out ? Q_DOC_BOOK_OUT : Q_DOC_BOOK_IN)
			      : (out ? Q_DOC_LIST_OUT : Q_DOC_LIST_IN);
	st_stmt q;
	int rc = ST_Q(s, id, &q, e);
	if (rc)
		return rc;
	bind_filter(&q, f);
	st_bind_int(&q, ":limit", f->limit > 0 ? f->limit : -1);
	st_bind_int(&q, ":offset", f->offset > 0 ? f->offset : 0);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_doc d;
		read_doc(&q, &d);
		if (cb(ctx, &d))
			break;
	}
	return st_walk_end(&q, rc, "list the register", e);
}

int st_doc_count(st *s, const st_doc_filter *f, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOC_COUNT, &q, e);
	if (rc)
		return rc;
	bind_filter(&q, f);
	rc = st_one(&q, "count the register", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_STORE_IO, "đếm văn bản: không có kết quả",
			       "count the register: no row returned");
	if (rc)
		return rc;
	*n = st_col_int64(&q, 0);
	st_reset(&q);
	return MC_OK;
}
