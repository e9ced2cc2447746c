/*
 * h_records.c - handlers for what a dossier records besides its state: the
 * action's own fields (result, collector, items), fees and the fee book.
 * Thin: parse, one app call, JSON out.
 */
#include "http/http_int.h"

int h_act_records(http_req *r, json_t *o, app_act_req *q)
{
	static const char *const col_allowed[] = { "name", "id_number", "by_authorisation", NULL };
	int bad = http_str_field(r, o, "", "result_number", 0, &q->result_number) ||
		  http_str_field(r, o, "", "result_date", 0, &q->result_date) ||
		  http_str_field(r, o, "", "delivery", 0, &q->delivery);
	json_t *c = json_object_get(o, "collector");
	if (!bad && c && !json_is_null(c)) {
		if (!json_is_object(c))
			return http_error(r, MCE_BAD_FIELD,
					  "collector phải là đối tượng có name, id_number, by_authorisation",
					  "collector must be an object with name, id_number, by_authorisation");
		bad = http_only_keys(r, c, "collector.", col_allowed) ||
		      http_str_field(r, c, "collector.", "name", 1, &q->collector_name) ||
		      http_str_field(r, c, "collector.", "id_number", 0, &q->collector_id);
		json_t *au = json_object_get(c, "by_authorisation");
		if (!bad && au && !json_is_boolean(au))
			bad = http_error(r, MCE_BAD_FIELD,
					 "collector.by_authorisation phải là true hoặc false",
					 "collector.by_authorisation must be true or false");
		q->collector_authorised = json_is_true(au);
	}
	json_t *items = json_object_get(o, "items");
	if (!bad && items && !json_is_null(items))
		q->items = items;
	return bad;
}

int h_fee_create(http_req *r)
{
	static const char *const allowed[] = { "amount", "method", "receipt_no", "exemption",
					       "exemption_reason", NULL };
	json_t *o;
	if (http_body_object(r, allowed, &o))
		return r->status;
	app_fee_req q;
	memset(&q, 0, sizeof q);
	json_t *am = json_object_get(o, "amount");
	int bad = 0;
	if (!json_is_integer(am))
		bad = http_error(r, MCE_FEE_BAD_VALUE,
				 "amount phải là số đồng nguyên (không có phần lẻ)",
				 "amount must be a whole number of đồng");
	q.amount = json_integer_value(am);
	if (!bad)
		bad = http_str_field(r, o, "", "method", 0, &q.method) ||
		      http_str_field(r, o, "", "receipt_no", 0, &q.receipt_no) ||
		      http_str_field(r, o, "", "exemption", 0, &q.exemption) ||
		      http_str_field(r, o, "", "exemption_reason", 0, &q.exemption_reason);
	if (bad) {
		json_decref(o);
		return r->status;
	}
	mc_err e;
	q.request_key = http_header(r, "Idempotency-Key");
	q.replayed = &r->replayed;
	int rc = app_fee_record(r->app, &r->actor, r->params[0], &q, r->now, &e);
	json_decref(o);
	if (rc)
		return http_fail(r, &e);
	return h_dossier_answer(r, 201);
}

int h_fees(http_req *r)
{
	json_t *out;
	mc_err e;
	if (app_fee_report(r->app, &r->actor, http_arg(r, "from"), http_arg(r, "to"), r->now, &out,
			   &e))
		return http_fail(r, &e);
	return http_ok(r, 200, out);
}
