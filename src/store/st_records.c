/*
 * st_records.c - the notices a dossier was given, its fees and its result
 * (schema 0005): written with the event that carries the same data.
 */
#include "st_int.h"

#define FEE_COLS                                                                     \
	"dossier, agency, seq, at, amount, method, receipt_no, collector, collector_name, " \
	"exemption, exemption_reason"

static const char *const sql[Q_N] = {
	[Q_NOTICE_INSERT] = "INSERT INTO notice(dossier, seq, agency, kind, issued_at, issuer, "
			    "issuer_name, issuer_title, reason, data) VALUES (:dossier, :seq, "
			    ":agency, :kind, :issued_at, :issuer, :issuer_name, :issuer_title, "
			    ":reason, :data)",
	[Q_NOTICE_LIST] = "SELECT dossier, agency, seq, kind, issued_at, issuer, issuer_name, "
			  "issuer_title, reason, data FROM notice WHERE dossier = :dossier "
			  "ORDER BY seq",
	[Q_FEE_INSERT] = "INSERT INTO fee(" FEE_COLS ") VALUES (:dossier, :agency, :seq, :at, "
			 ":amount, :method, :receipt_no, :collector, :collector_name, :exemption, "
			 ":exemption_reason)",
	[Q_FEE_LIST] = "SELECT " FEE_COLS " FROM fee WHERE dossier = :dossier ORDER BY seq",
	[Q_FEE_RANGE] = "SELECT " FEE_COLS " FROM fee WHERE agency = :agency AND at >= :from "
			"AND at < :to ORDER BY at, seq",
	[Q_RESULT_SET] = "INSERT INTO dossier_result(dossier, agency, number, date, recorded_by, "
			 "recorded_at) VALUES (:dossier, :agency, :number, :date, :recorded_by, "
			 ":recorded_at) ON CONFLICT(dossier) DO UPDATE SET agency = :agency, "
			 "number = :number, date = :date, recorded_by = :recorded_by, "
			 "recorded_at = :recorded_at",
	[Q_RESULT_COLLECT] = "INSERT INTO dossier_result(dossier, agency, collector_name, "
			     "collector_id, authorised, delivery, returned_by, returned_at) VALUES "
			     "(:dossier, :agency, :collector_name, :collector_id, :authorised, "
			     ":delivery, :returned_by, :returned_at) ON CONFLICT(dossier) DO UPDATE "
			     "SET agency = :agency, collector_name = :collector_name, "
			     "collector_id = :collector_id, authorised = :authorised, "
			     "delivery = :delivery, returned_by = :returned_by, "
			     "returned_at = :returned_at",
	[Q_RESULT_GET] = "SELECT dossier, agency, number, date, recorded_by, recorded_at, "
			 "collector_name, collector_id, authorised, delivery, returned_by, "
			 "returned_at FROM dossier_result WHERE dossier = :dossier",
};

int st_notice_insert(st *s, const st_notice *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTICE_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", n->dossier);
	st_bind_int(&q, ":seq", n->seq);
	st_bind_text(&q, ":agency", n->agency);
	st_bind_text(&q, ":kind", n->kind);
	st_bind_int(&q, ":issued_at", n->issued_at);
	st_bind_text(&q, ":issuer", n->issuer);
	st_bind_text(&q, ":issuer_name", n->issuer_name);
	st_bind_text(&q, ":issuer_title", n->issuer_title);
	st_bind_text(&q, ":reason", n->reason ? n->reason : "");
	st_bind_text(&q, ":data", n->data ? n->data : "{}");
	return st_exec_q(&q, "save notice", e);
}

int st_notice_list(st *s, const char *dossier, st_notice_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_NOTICE_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_notice n = {
			.dossier = st_col_text(&q, 0), .agency = st_col_text(&q, 1),
			.seq = st_col_int64(&q, 2), .kind = st_col_text(&q, 3),
			.issued_at = st_col_int64(&q, 4), .issuer = st_col_text(&q, 5),
			.issuer_name = st_col_text(&q, 6), .issuer_title = st_col_text(&q, 7),
			.reason = st_col_text(&q, 8), .data = st_col_text(&q, 9),
		};
		if (cb(ctx, &n))
			break;
	}
	return st_walk_end(&q, rc, "list notices", e);
}

int st_fee_insert(st *s, const st_fee *f, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_FEE_INSERT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", f->dossier);
	st_bind_text(&q, ":agency", f->agency);
	st_bind_int(&q, ":seq", f->seq);
	st_bind_int(&q, ":at", f->at);
	st_bind_int(&q, ":amount", f->amount);
	st_bind_text(&q, ":method", f->method ? f->method : "");
	st_bind_text(&q, ":receipt_no", f->receipt_no ? f->receipt_no : "");
	st_bind_text(&q, ":collector", f->collector);
	st_bind_text(&q, ":collector_name", f->collector_name ? f->collector_name : "");
	st_bind_text(&q, ":exemption", f->exemption ? f->exemption : "");
	st_bind_text(&q, ":exemption_reason", f->exemption_reason ? f->exemption_reason : "");
	return st_exec_q(&q, "save fee", e);
}

static int fee_walk(st_stmt *q, st_fee_cb cb, void *ctx, mc_err *e)
{
	int rc;
	while ((rc = st_step(q)) == SQLITE_ROW) {
		st_fee f = {
			.dossier = st_col_text(q, 0), .agency = st_col_text(q, 1),
			.seq = st_col_int64(q, 2), .at = st_col_int64(q, 3),
			.amount = st_col_int64(q, 4), .method = st_col_text(q, 5),
			.receipt_no = st_col_text(q, 6), .collector = st_col_text(q, 7),
			.collector_name = st_col_text(q, 8), .exemption = st_col_text(q, 9),
			.exemption_reason = st_col_text(q, 10),
		};
		if (cb(ctx, &f))
			break;
	}
	return st_walk_end(q, rc, "list fees", e);
}

int st_fee_list(st *s, const char *dossier, st_fee_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_FEE_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	return fee_walk(&q, cb, ctx, e);
}

int st_fee_range(st *s, const char *agency, mc_time from, mc_time to, st_fee_cb cb, void *ctx,
		 mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_FEE_RANGE, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":agency", agency);
	st_bind_int(&q, ":from", from);
	st_bind_int(&q, ":to", to);
	return fee_walk(&q, cb, ctx, e);
}

int st_result_set(st *s, const st_result *r, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_RESULT_SET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", r->dossier);
	st_bind_text(&q, ":agency", r->agency);
	st_bind_text(&q, ":number", r->number ? r->number : "");
	st_bind_text(&q, ":date", r->date ? r->date : "");
	st_bind_text(&q, ":recorded_by", r->recorded_by ? r->recorded_by : "");
	st_bind_int(&q, ":recorded_at", r->recorded_at);
	rc = st_exec_q(&q, "save result", e);
	/* the result's number is searched for */
	if (!rc)
		rc = st_search_dossier(s, r->dossier, e);
	return rc;
}

int st_result_collect(st *s, const st_result *r, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_RESULT_COLLECT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", r->dossier);
	st_bind_text(&q, ":agency", r->agency);
	st_bind_text(&q, ":collector_name", r->collector_name ? r->collector_name : "");
	st_bind_text(&q, ":collector_id", r->collector_id ? r->collector_id : "");
	st_bind_int(&q, ":authorised", r->authorised);
	st_bind_text(&q, ":delivery", r->delivery ? r->delivery : "");
	st_bind_text(&q, ":returned_by", r->returned_by ? r->returned_by : "");
	st_bind_int(&q, ":returned_at", r->returned_at);
	return st_exec_q(&q, "save result collection", e);
}

int st_result_get(st *s, const char *dossier, st_result_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_RESULT_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":dossier", dossier);
	rc = st_one(&q, "read result", e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (rc)
		return rc;
	st_result r = {
		.dossier = st_col_text(&q, 0), .agency = st_col_text(&q, 1),
		.number = st_col_text(&q, 2), .date = st_col_text(&q, 3),
		.recorded_by = st_col_text(&q, 4), .recorded_at = st_col_int64(&q, 5),
		.collector_name = st_col_text(&q, 6), .collector_id = st_col_text(&q, 7),
		.authorised = st_col_int(&q, 8), .delivery = st_col_text(&q, 9),
		.returned_by = st_col_text(&q, 10), .returned_at = st_col_int64(&q, 11),
	};
	cb(ctx, &r);
	st_reset(&q);
	return MC_OK;
}
