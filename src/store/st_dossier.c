/*
 * st_dossier.c - dossiers: serials, insert/update/get, the filtered lists
 * and the dashboard counts.
 */
#include "st_int.h"

#define DOS_COLS                                                                          \
	"code, agency, origin, procedure, channel, status, name, id_number, phone, email, " \
	"address, summary, components, time_amount, time_unit, submitted_at, received_at, " \
	"due_at, due_legal, assignee, resume_status, paused_at, supplements, "              \
	"supplements_processing, apology_at, finished_at, timeliness, returned_at, "        \
	"collected_by, note, updated_at, last_seq, time_guessed, id_type, kind, org_name, "   \
	"tax_code, representative, register_book, register_no, sets"

#define OPEN_SQL "('submitted','received','processing','awaiting_approval','supplement','awaiting_payment')"

static const char *const sql[Q_N] = {
	[Q_SERIAL_NEXT] = "INSERT INTO serial(agency, day, last) VALUES (:agency, :day, 1) "
			  "ON CONFLICT(agency, day) DO UPDATE SET last = last + 1 RETURNING last",
	[Q_REGISTER_NEXT] = "INSERT INTO register_serial(agency, book, last) VALUES (:agency, :book, 1) "
			    "ON CONFLICT(agency, book) DO UPDATE SET last = last + 1 RETURNING last",
	[Q_DOS_INSERT] = "INSERT INTO dossier(code, agency, origin, procedure, channel, status, "
			 "status_code, name, id_number, phone, email, address, summary, components, "
			 "time_amount, time_unit, time_guessed, submitted_at, received_at, due_at, due_legal, "
			 "assignee, resume_status, paused_at, supplements, supplements_processing, "
			 "apology_at, finished_at, timeliness, returned_at, collected_by, note, fold, "
			 "updated_at, last_seq, id_type, kind, org_name, tax_code, representative, register_book, register_no, sets) VALUES (:code, :agency, :origin, :procedure, :channel, "
			 ":status, :status_code, :name, :id_number, :phone, :email, :address, :summary, "
			 ":components, :time_amount, :time_unit, :time_guessed, :submitted_at, :received_at, :due_at, "
			 ":due_legal, :assignee, :resume_status, :paused_at, :supplements, "
			 ":supplements_processing, :apology_at, :finished_at, :timeliness, "
			 ":returned_at, :collected_by, :note, :fold, :updated_at, :last_seq, :id_type, :kind, "
			 ":org_name, :tax_code, :representative, :register_book, :register_no, :sets)",
	[Q_DOS_UPDATE] = "UPDATE dossier SET agency = :agency, status = :status, "
			 "status_code = :status_code, received_at = :received_at, due_at = :due_at, "
			 "due_legal = :due_legal, assignee = :assignee, resume_status = :resume_status, "
			 "paused_at = :paused_at, supplements = :supplements, "
			 "supplements_processing = :supplements_processing, apology_at = :apology_at, "
			 "finished_at = :finished_at, timeliness = :timeliness, "
			 "returned_at = :returned_at, collected_by = :collected_by, note = :note, "
			 "updated_at = :updated_at, last_seq = :last_seq, register_book = :register_book, "
			 "register_no = :register_no WHERE code = :code",
	[Q_DOS_GET] = "SELECT " DOS_COLS " FROM dossier WHERE code = :code",
	[Q_DOS_TOUCH] = "UPDATE dossier SET last_seq = :last_seq WHERE code = :code",
	[Q_DOS_COUNT] = "SELECT count(*) FROM dossier",
	[Q_DOS_MAXSEQ] = "SELECT coalesce(max(last_seq), 0) FROM dossier",
	[Q_DOS_COUNTS] = "SELECT total(status = 'submitted'), total(status = 'received'), "
			 "total(status = 'processing'), total(status = 'awaiting_approval'), "
			 "total(status = 'supplement'), total(status = 'awaiting_payment'), "
			 "total(status = 'result_ready'), "
			 "total(status IN ('received','processing','awaiting_approval','awaiting_payment') "
			 "AND due_at > 0 AND due_at < :now), "
			 "total(status IN ('received','processing','awaiting_approval','awaiting_payment') "
			 "AND due_at >= :now AND due_at < :near), "
			 "total(received_at >= :day0 AND received_at < :day1), "
			 "total(returned_at >= :day0 AND returned_at < :day1), "
			 "total(assignee = :login AND status IN ('processing','awaiting_payment')) "
			 "FROM dossier WHERE agency = :agency",
};

/* ---- dossiers ---- */

void st_dossier_release(st_dossier *d)
{
	free(d->name);
	free(d->id_number);
	free(d->phone);
	free(d->email);
	free(d->address);
	free(d->summary);
	free(d->components);
	free(d->note);
	free(d->collected_by);
	free(d->org_name);
	free(d->representative);
	d->org_name = d->representative = NULL;
	d->name = d->id_number = d->phone = d->email = d->address = NULL;
	d->summary = d->components = d->note = d->collected_by = NULL;
}

int st_register_next(st *s, const char *agency, int book, int64_t *no, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_REGISTER_NEXT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":book", book);
	rc = st_one(&q, "number the register entry", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_STORE_IO, "không cấp được số thứ tự trong sổ theo dõi hồ sơ",
			       "number the register entry: no row returned");
	if (rc)
		return rc;
	*no = st_col_int64(&q, 0);
	return st_exec_q(&q, "number the register entry", e);
}

int st_serial_next(st *s, const char *agency, const char *yymmdd, int64_t *serial, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SERIAL_NEXT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_text(&q, ":day", yymmdd);
	rc = st_one(&q, "allocate serial", e);
	if (rc == MC_ENOTFOUND) /* an upsert with RETURNING always returns */
		return mc_fail(e, MCE_STORE_IO, "cấp số thứ tự hồ sơ: không có kết quả",
			       "allocate serial: no row returned");
	if (rc)
		return rc;
	*serial = st_col_int64(&q, 0);
	/* RETURNING: the write completes with the step after the row. */
	return st_exec_q(&q, "allocate serial", e);
}

static void bind_state(st_stmt *q, const st_dossier *d)
{
	const dsr_rec *r = &d->r;
	st_bind_text(q, ":code", d->code);
	st_bind_text(q, ":agency", r->agency);
	st_bind_text(q, ":status", dsr_state_name(r->state));
	st_bind_int(q, ":status_code", dsr_state_code(r->state));
	st_bind_int(q, ":received_at", r->received_at);
	st_bind_int(q, ":due_at", r->due_at);
	st_bind_int(q, ":due_legal", r->due_legal);
	st_bind_text(q, ":assignee", r->assignee);
	st_bind_text(q, ":resume_status",
		     r->resume_state >= 0 ? dsr_state_name(r->resume_state) : "");
	st_bind_int(q, ":paused_at", r->paused_at);
	st_bind_int(q, ":supplements", r->supplements);
	st_bind_int(q, ":supplements_processing", r->supplements_processing);
	st_bind_int(q, ":apology_at", r->apology_at);
	st_bind_int(q, ":finished_at", r->finished_at);
	st_bind_text(q, ":timeliness", dl_timeliness_name(r->timeliness));
	st_bind_int(q, ":returned_at", r->returned_at);
	st_bind_text(q, ":collected_by", d->collected_by ? d->collected_by : "");
	st_bind_text(q, ":note", d->note ? d->note : "");
	st_bind_int(q, ":updated_at", d->updated_at);
	st_bind_int(q, ":last_seq", d->last_seq);
	st_bind_int(q, ":register_book", d->register_book);
	st_bind_int(q, ":register_no", d->register_no);
}

int st_dossier_insert(st *s, const st_dossier *d, const char *fold, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOS_INSERT, &q, e);
	if (rc)
		return rc;
	bind_state(&q, d);
	st_bind_text(&q, ":origin", d->origin);
	st_bind_text(&q, ":procedure", d->procedure);
	st_bind_text(&q, ":channel", d->channel);
	st_bind_text(&q, ":name", d->name);
	st_bind_text(&q, ":id_number", d->id_number);
	st_bind_text(&q, ":phone", d->phone);
	st_bind_text(&q, ":email", d->email ? d->email : "");
	st_bind_text(&q, ":address", d->address ? d->address : "");
	st_bind_text(&q, ":summary", d->summary ? d->summary : "");
	st_bind_text(&q, ":components", d->components ? d->components : "[]");
	st_bind_double(&q, ":time_amount", d->r.time_amount);
	st_bind_text(&q, ":time_unit", dl_unit_name(d->r.time_unit));
	st_bind_int(&q, ":time_guessed", d->time_guessed);
	st_bind_int(&q, ":submitted_at", d->submitted_at);
	st_bind_text(&q, ":fold", fold);
	st_bind_text(&q, ":id_type", d->id_type[0] ? d->id_type : "cccd");
	st_bind_text(&q, ":kind", d->kind[0] ? d->kind : "person");
	st_bind_text(&q, ":org_name", d->org_name ? d->org_name : "");
	st_bind_text(&q, ":tax_code", d->tax_code);
	st_bind_text(&q, ":representative", d->representative ? d->representative : "");
	st_bind_int(&q, ":sets", d->sets > 0 ? d->sets : 1);
	rc = st_exec_q(&q, "insert dossier", e);
	if (rc == MC_ECONFLICT)
		return mc_fail(e, MCE_DOSSIER_EXISTS, "hồ sơ '%s' đã tồn tại",
			       "dossier '%s' already exists", d->code);
	/* What search looks through is written only here (and the result
	 * number in st_result_set): st_dossier_update leaves it as it is. */
	if (!rc)
		rc = st_search_dossier(s, d->code, e);
	return rc;
}

int st_dossier_update(st *s, const st_dossier *d, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOS_UPDATE, &q, e);
	if (rc)
		return rc;
	bind_state(&q, d);
	rc = st_exec_q(&q, "update dossier", e);
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = mc_fail(e, MCE_DOSSIER_NOT_FOUND, "không có hồ sơ mã '%s'",
			     "unknown dossier '%s'", d->code);
	/* search filters by the agency its index rows hold (one lookup less
	 * per match): they follow a transfer */
	if (!rc)
		rc = st_search_agency(s, d->code, d->r.agency, e);
	return rc;
}

int st_dossier_touch(st *s, const char *code, int64_t last_seq, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOS_TOUCH, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	st_bind_int(&q, ":last_seq", last_seq);
	rc = st_exec_q(&q, "update dossier", e);
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = mc_fail(e, MCE_DOSSIER_NOT_FOUND, "không có hồ sơ mã '%s'",
			     "unknown dossier '%s'", code);
	return rc;
}

static void read_dossier(const st_stmt *q, st_dossier *d)
{
	dsr_rec *r = &d->r;
	memset(d, 0, sizeof *d);
	snprintf(d->code, sizeof d->code, "%s", st_col_text(q, 0));
	snprintf(r->agency, sizeof r->agency, "%s", st_col_text(q, 1));
	snprintf(d->origin, sizeof d->origin, "%s", st_col_text(q, 2));
	snprintf(d->procedure, sizeof d->procedure, "%s", st_col_text(q, 3));
	snprintf(d->channel, sizeof d->channel, "%s", st_col_text(q, 4));
	r->state = dsr_state_parse(st_col_text(q, 5));
	d->name = mc_xstrdup(st_col_text(q, 6));
	d->id_number = mc_xstrdup(st_col_text(q, 7));
	d->phone = mc_xstrdup(st_col_text(q, 8));
	d->email = mc_xstrdup(st_col_text(q, 9));
	d->address = mc_xstrdup(st_col_text(q, 10));
	d->summary = mc_xstrdup(st_col_text(q, 11));
	d->components = mc_xstrdup(st_col_text(q, 12));
	r->time_amount = st_col_double(q, 13);
	r->time_unit = dl_unit_parse(st_col_text(q, 14));
	d->submitted_at = st_col_int64(q, 15);
	r->received_at = st_col_int64(q, 16);
	r->due_at = st_col_int64(q, 17);
	r->due_legal = st_col_int64(q, 18);
	snprintf(r->assignee, sizeof r->assignee, "%s", st_col_text(q, 19));
	r->resume_state = dsr_state_parse(st_col_text(q, 20));
	r->paused_at = st_col_int64(q, 21);
	r->supplements = st_col_int(q, 22);
	r->supplements_processing = st_col_int(q, 23);
	r->apology_at = st_col_int64(q, 24);
	r->finished_at = st_col_int64(q, 25);
	const char *t = st_col_text(q, 26);
	r->timeliness = strcmp(t, "early") == 0 ? DL_EARLY
			: strcmp(t, "on_time") == 0 ? DL_ON_TIME
			: strcmp(t, "late") == 0    ? DL_LATE
						    : 0;
	r->returned_at = st_col_int64(q, 27);
	d->collected_by = mc_xstrdup(st_col_text(q, 28));
	d->note = mc_xstrdup(st_col_text(q, 29));
	d->updated_at = st_col_int64(q, 30);
	d->last_seq = st_col_int64(q, 31);
	d->time_guessed = st_col_int(q, 32);
	snprintf(d->id_type, sizeof d->id_type, "%s", st_col_text(q, 33));
	snprintf(d->kind, sizeof d->kind, "%s", st_col_text(q, 34));
	d->org_name = mc_xstrdup(st_col_text(q, 35));
	snprintf(d->tax_code, sizeof d->tax_code, "%s", st_col_text(q, 36));
	d->representative = mc_xstrdup(st_col_text(q, 37));
	d->register_book = st_col_int(q, 38);
	d->register_no = st_col_int64(q, 39);
	d->sets = st_col_int(q, 40);
}

int st_dossier_get(st *s, const char *code, st_dossier *d, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOS_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read dossier", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_DOSSIER_NOT_FOUND, "không có hồ sơ mã '%s'",
			       "unknown dossier '%s'", code);
	if (!rc)
		read_dossier(&q, d);
	st_reset(&q);
	return rc;
}

/* The list queries: every filter is a named parameter that is NULL when
 * unused, so each statement keeps one simple plan. Two orders: newest
 * reception first (the default), or soonest due first (dossiers with a due
 * time only); each pages with its own keyset cursor. */
#define DOSSIER_LIST_WHERE \
	"SELECT " DOS_COLS " FROM dossier WHERE " \
	"(:status IS NULL OR status = :status) " \
	"AND (:open = 0 OR status IN " OPEN_SQL ") " \
	"AND (:overdue = 0 OR (status IN ('received','processing','awaiting_approval'," \
	"'awaiting_payment') AND due_at > 0 AND due_at < :now)) " \
	"AND (:q IS NULL OR instr(fold, :q) > 0) " \
	"AND (:assignee IS NULL OR assignee = :assignee) " \
	"AND (:channel IS NULL OR channel = :channel) " \
	"AND (:procedure IS NULL OR procedure = :procedure) " \
	"AND (:field IS NULL OR procedure IN (SELECT code FROM procedure WHERE field = :field)) " \
	"AND (:agency IS NULL OR agency = :agency) " \
	"AND (:from IS NULL OR received_at >= :from) " \
	"AND (:to IS NULL OR (received_at > 0 AND received_at < :to)) " \
	"AND (:due_before IS NULL OR (due_at > 0 AND due_at < :due_before)) "

static const char dossier_list_sql[] = DOSSIER_LIST_WHERE
	"AND (:after_code IS NULL OR (submitted_at, code) < (:after_t, :after_code)) "
	"ORDER BY submitted_at DESC, code DESC LIMIT :limit";

static const char dossier_list_due_sql[] = DOSSIER_LIST_WHERE
	"AND due_at > 0 "
	"AND (:after_code IS NULL OR (due_at, code) > (:after_t, :after_code)) "
	"ORDER BY due_at, code LIMIT :limit";

int st_dossier_list(st *s, const st_dossier_filter *f, st_dossier_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = st_prepare(s, f->by_due ? dossier_list_due_sql : dossier_list_sql, &q, e);
	if (rc) {
		st_finalize(&q);
		return rc;
	}
	if (f->state >= 0)
		st_bind_text(&q, ":status", dsr_state_name(f->state));
	st_bind_int(&q, ":open", f->open_only);
	st_bind_int(&q, ":overdue", f->overdue);
	st_bind_int(&q, ":now", f->now);
	st_bind_text(&q, ":q", f->fold_q && *f->fold_q ? f->fold_q : NULL);
	st_bind_text(&q, ":assignee", f->assignee);
	st_bind_text(&q, ":channel", f->channel);
	st_bind_text(&q, ":procedure", f->procedure);
	st_bind_text(&q, ":field", f->field);
	st_bind_text(&q, ":agency", f->agency);
	if (f->received_from)
		st_bind_int(&q, ":from", f->received_from);
	if (f->received_to)
		st_bind_int(&q, ":to", f->received_to);
	if (f->due_before)
		st_bind_int(&q, ":due_before", f->due_before);
	if (f->after_code) {
		st_bind_text(&q, ":after_code", f->after_code);
		st_bind_int(&q, ":after_t", f->after_t);
	}
	st_bind_int(&q, ":limit", f->limit > 0 ? f->limit : -1);
	st_dossier d;
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		read_dossier(&q, &d);
		int stop = cb(ctx, &d);
		st_dossier_release(&d);
		if (stop)
			break;
	}
	rc = st_walk_end(&q, rc, "list dossiers", e);
	st_finalize(&q);
	return rc;
}

/* The one integer that the aggregate in slot id returns. */
static int count_q(st *s, int id, const char *what, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, id, &q, e);
	if (!rc)
		rc = st_one(&q, what, e);
	if (!rc)
		*n = st_col_int64(&q, 0);
	st_reset(&q);
	return rc;
}

int st_dossier_count(st *s, int64_t *n, mc_err *e)
{
	return count_q(s, Q_DOS_COUNT, "count dossiers", n, e);
}

int st_dossier_max_seq(st *s, int64_t *n, mc_err *e)
{
	return count_q(s, Q_DOS_MAXSEQ, "read last sequence", n, e);
}

int st_dossier_counts(st *s, const char *agency, mc_time now, mc_time near, mc_time day0,
		      mc_time day1, const char *login, st_counts *out, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_DOS_COUNTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":now", now);
	st_bind_int(&q, ":near", near);
	st_bind_int(&q, ":day0", day0);
	st_bind_int(&q, ":day1", day1);
	st_bind_text(&q, ":login", login);
	rc = st_one(&q, "count dossiers", e);
	if (rc == MC_ENOTFOUND) /* an aggregate always has its row */
		return mc_fail(e, MCE_STORE_IO, "đếm hồ sơ: không có kết quả",
			       "count dossiers: no row returned");
	if (rc)
		return rc;
	int64_t *f[] = { &out->submitted, &out->received, &out->processing,
			 &out->awaiting_approval, &out->supplement, &out->awaiting_payment,
			 &out->result_ready, &out->overdue, &out->near_due,
			 &out->received_today, &out->returned_today, &out->mine };
	for (int i = 0; i < (int)MC_ARRAY_LEN(f); i++)
		*f[i] = (int64_t)st_col_double(&q, i);
	st_reset(&q);
	return MC_OK;
}
