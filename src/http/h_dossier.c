/*
 * h_dossier.c - handlers for dossiers: reception, lists, one dossier, life-cycle actions, the home counts.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

int h_receive_body(http_req *r, const char *extra, json_t **body, app_receive_req *q)
{
	const char *allowed[] = { "procedure", "channel", "applicant", "summary", "components",
				  "received_at", "pending", "sets", extra, NULL };
	static const char *const app_allowed[] = { "kind",     "name",     "id_type",
						   "id_number", "phone",   "email",
						   "address",  "org_name", "tax_code",
						   "representative", NULL };
	json_t *o;
	*body = NULL;
	if (http_body_object(r, allowed, &o))
		return r->status;
	memset(q, 0, sizeof *q);
	json_t *ap = json_object_get(o, "applicant");
	int bad = http_str_field(r, o, "", "procedure", 1, &q->procedure) ||
		  http_str_field(r, o, "", "channel", 1, &q->channel) ||
		  http_str_field(r, o, "", "summary", 0, &q->summary) ||
		  http_time_field(r, o, "received_at", &q->received_at);
	if (!bad && !json_is_object(ap))
		bad = http_error(r, MCE_BAD_FIELD,
				 "applicant phải là đối tượng có name và phone",
				 "applicant must be an object with name and phone");
	if (!bad)
		bad = http_only_keys(r, ap, "applicant.", app_allowed);
	if (!bad)
		bad = http_str_field(r, ap, "applicant.", "name", 1, &q->name) ||
		      http_str_field(r, ap, "applicant.", "kind", 0, &q->kind) ||
		      http_str_field(r, ap, "applicant.", "id_type", 0, &q->id_type) ||
		      http_str_field(r, ap, "applicant.", "id_number", 0, &q->id_number) ||
		      http_str_field(r, ap, "applicant.", "org_name", 0, &q->org_name) ||
		      http_str_field(r, ap, "applicant.", "tax_code", 0, &q->tax_code) ||
		      http_str_field(r, ap, "applicant.", "representative", 0, &q->representative) ||
		      http_str_field(r, ap, "applicant.", "phone", 1, &q->phone) ||
		      http_str_field(r, ap, "applicant.", "email", 0, &q->email) ||
		      http_str_field(r, ap, "applicant.", "address", 0, &q->address);
	json_t *pending = json_object_get(o, "pending");
	if (!bad && pending && !json_is_boolean(pending))
		bad = http_error(r, MCE_BAD_FIELD, "pending phải là true hoặc false", "pending must be true or false");
	q->pending = json_is_true(pending);
	json_t *sets = json_object_get(o, "sets");
	if (!bad && sets && (!json_is_integer(sets) || json_integer_value(sets) < 1 ||
			     json_integer_value(sets) > 20))
		bad = http_error(r, MCE_BAD_FIELD, "sets (số bộ hồ sơ) phải là số nguyên từ 1 đến 20",
				 "sets must be a whole number from 1 to 20");
	q->sets = sets ? (int)json_integer_value(sets) : 0;
	q->components = json_object_get(o, "components");
	if (bad) {
		json_decref(o);
		return r->status;
	}
	q->request_key = http_header(r, "Idempotency-Key");
	q->replayed = &r->replayed;
	*body = o;
	return 0;
}

int h_dossier_create(http_req *r)
{
	app_receive_req q;
	json_t *o;
	if (h_receive_body(r, NULL, &o, &q))
		return r->status;
	char code[96];
	mc_time due;
	mc_err e;
	int rc = app_receive(r->app, &r->actor, &q, r->now, code, &due, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	json_t *d;
	if (app_dossier_get(r->app, code, 1, r->now, &d, &e))
		return http_fail(r, &e);
	return http_ok(r, 201, d);
}

int h_dossier_list(http_req *r)
{
	app_list_req q;
	memset(&q, 0, sizeof q);
	q.status = http_arg(r, "status");
	q.q = http_arg(r, "q");
	q.assignee = http_arg(r, "assignee");
	q.channel = http_arg(r, "channel");
	q.procedure = http_arg(r, "procedure");
	q.field = http_arg(r, "field");
	q.cursor = http_arg(r, "cursor");
	q.sort = http_arg(r, "sort");
	long lim = 0;
	if (http_long_arg(r, "limit", 1, 500, &lim))
		return r->status;
	q.limit = (int)lim;
	if (http_bool_arg(r, "overdue", &q.overdue) || http_time_arg(r, "due_before", 0, &q.due_before) ||
	    http_time_arg(r, "received_from", 0, &q.received_from) ||
	    http_time_arg(r, "received_to", 1, &q.received_to))
		return r->status;
	json_t *page;
	mc_err e;
	if (app_dossier_list(r->app, &q, r->now, &page, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, page);
}

/* Answers status with the dossier params[0] as it now is, with its
 * history: what a read and every write on a dossier answer. */
int h_dossier_answer(http_req *r, int status)
{
	json_t *d;
	mc_err e;
	if (app_dossier_get(r->app, r->params[0], 1, r->now, &d, &e))
		return http_fail(r, &e);
	return http_ok(r, status, d);
}

int h_dossier_get(http_req *r)
{
	return h_dossier_answer(r, 200);
}

int h_dossier_act(http_req *r)
{
	static const char *const allowed[] = { "action", "to", "to_agency", "new_due", "comment",
					       "result_number", "result_date", "collector",
					       "delivery", "items", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	app_act_req q;
	memset(&q, 0, sizeof q);
	int bad = http_str_field(r, o, "", "action", 1, &q.action) ||
		  http_str_field(r, o, "", "to", 0, &q.to_user) ||
		  http_str_field(r, o, "", "to_agency", 0, &q.to_agency) ||
		  http_str_field(r, o, "", "comment", 0, &q.comment) ||
		  http_time_field(r, o, "new_due", &q.new_due);
	if (!bad)
		bad = h_act_records(r, o, &q);
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	q.request_key = http_header(r, "Idempotency-Key");
	q.replayed = &r->replayed;
	int rc = app_act(r->app, &r->actor, r->params[0], &q, r->now, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return h_dossier_answer(r, 200);
}

int h_dashboard(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_dashboard(r->app, &r->actor, r->now, &out, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
