/*
 * records.c - what a dossier's steps record besides its state (issue 10,
 * items 4 5 6 and "the fee, the result"): the notices and who issued each,
 * the apology's own data, the result's number and who collected it, the
 * fees and charges and their totals, and the node's public address. Each is
 * written with the event that carries it (DESIGN.md section 7: events are
 * self-contained).
 */
#include "app_int.h"

#include "core/catp.h"
#include "core/txt.h"
#include "store/ev.h"

/* ---- labels ---- */

static const struct {
	const char *name, *label;
} methods[] = {
	{ "cash", "Tiền mặt" },
	{ "transfer", "Chuyển khoản" },
	{ "online", "Trực tuyến" },
}, deliveries[] = {
	{ "desk", "Tại Bộ phận Một cửa" },
	{ "postal", "Qua dịch vụ bưu chính" },
	{ "online", "Trực tuyến" },
}, exemptions[] = {
	{ "full", "Miễn" },
	{ "partial", "Giảm" },
}, notices[] = {
	/* LAW: Circular 03/2025/TT-VPCP Annex I forms 2, 3, 4 and 5. */
	{ "request_supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" },
	{ "refuse", "Phiếu từ chối tiếp nhận, giải quyết hồ sơ" },
	{ "apology", "Văn bản xin lỗi và hẹn lại ngày trả kết quả" },
	{ "stop", "Thông báo dừng giải quyết hồ sơ" },
};

#define LABEL_OF(tab, name) label_of(tab, MC_ARRAY_LEN(tab), name)

static const char *label_of(const void *tab, size_t n, const char *name)
{
	const struct {
		const char *name, *label;
	} *t = tab;
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].label;
	return NULL;
}

/* The notice an action issues, or NULL. */
static const char *notice_kind(int action)
{
	switch (action) {
	case DSR_REQUEST_SUPPLEMENT:
		return "request_supplement";
	case DSR_REFUSE:
		return "refuse";
	case DSR_APOLOGY:
		return "apology";
	case DSR_STOP:
		return "stop";
	default:
		return NULL;
	}
}

/* LAW: Circular 03/2025/TT-VPCP forms 2 to 5 end with the signature, full
 * name and title of the officer who issues the notice: the officer who took
 * the step (issue 10 item 5). The title is the officer's role in the
 * one-stop split of work. */
static json_t *issuer_json(const app_actor *by)
{
	return json_pack("{s:s, s:s, s:s}", "login", by->login, "name", by->name, "title",
			 dsr_role_label_vi(by->role));
}

/* ---- checks of an action's own fields ---- */

static int only_for(const char *field, const char *action, mc_err *e)
{
	return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "%s chỉ ghi ở thao tác «%s»",
		       "%s is recorded by the action '%s' only", field, action);
}

/* A result date: YYYY-MM-DD, from 2000 to today. */
static int check_result_date(const char *s, mc_time now, mc_err *e)
{
	int32_t day;
	if (cal_parse_date(s, &day, e))
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "result_date phải là ngày dạng YYYY-MM-DD, không phải '%.20s'",
			       "result_date must be a date YYYY-MM-DD, not '%.20s'", s);
	if (day > cal_local_day(now) || day < cal_days_from_civil(2000, 1, 1))
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "result_date phải từ năm 2000 đến hôm nay",
			       "result_date must be from 2000 to today");
	return MC_OK;
}

/* An identity document number as the collector shows it: CCCD, CMND,
 * passport (letters and digits, 6 to 20). */
static int check_id(const char *s, mc_err *e)
{
	size_t n = strlen(s);
	int ok = n >= 6 && n <= 20;
	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z');
	return ok ? MC_OK
		  : mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			    "collector.id_number phải gồm 6 đến 20 chữ số hoặc chữ in hoa (CCCD, CMND, hộ chiếu)",
			    "collector.id_number must be 6 to 20 digits or capital letters (ID card, passport)");
}

int rec_check_act(int action, const app_act_req *req, mc_time now, mc_err *e)
{
	int rc;
	if (req->result_number || req->result_date) {
		if (action != DSR_APPROVE)
			return only_for("result_number, result_date", "approve", e);
		if (!req->result_number || !*req->result_number)
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "result_date cần đi kèm số văn bản kết quả (result_number)",
				       "result_date needs the result's number (result_number)");
		rc = txt_check_field("result_number", req->result_number, 60, 1, 0, e);
		if (!rc && req->result_date)
			rc = check_result_date(req->result_date, now, e);
		if (rc)
			return rc;
	}
	if (req->collector_name || req->collector_id || req->delivery || req->collector_authorised) {
		if (action != DSR_RETURN)
			return only_for("collector, delivery", "return", e);
		if (req->delivery && !LABEL_OF(deliveries, req->delivery))
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "delivery phải là desk, postal hoặc online",
				       "delivery must be desk, postal or online");
		rc = txt_check_field("collector.name", req->collector_name ? req->collector_name : "",
				     200, 0, 0, e);
		if (!rc && req->collector_id && *req->collector_id)
			rc = check_id(req->collector_id, e);
		if (rc)
			return rc;
		if (req->collector_authorised && (!req->collector_id || !*req->collector_id))
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "người nhận theo uỷ quyền cần có số giấy tờ tuỳ thân (collector.id_number)",
				       "a collector by authorisation needs an ID number (collector.id_number)");
	}
	if (req->items) {
		if (action != DSR_REQUEST_SUPPLEMENT && action != DSR_REFUSE)
			return only_for("items", "request_supplement, refuse", e);
		if (!json_is_array(req->items) || json_array_size(req->items) > 100)
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "items phải là một mảng tối đa 100 mục",
				       "items must be an array of at most 100 entries");
		size_t i;
		json_t *it;
		json_array_foreach(req->items, i, it) {
			char field[32];
			snprintf(field, sizeof field, "items[%zu]", i);
			if (!json_is_string(it))
				return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "%s phải là chuỗi ký tự",
					       "%s must be a string", field);
			/* LAW: Circular 03/2025/TT-VPCP form 2 lists every missing
			 * item in full; a catalog name is up to ~10 KB (as
			 * components are): longer is refused, never cut. */
			rc = txt_check_field(field, json_string_value(it), 16 * 1024, 1, 1, e);
			if (rc)
				return rc;
		}
	}
	return MC_OK;
}

json_t *rec_act_fields(const app_act_req *req)
{
	json_t *o = json_object();
	if (req->result_number)
		json_object_set_new(o, "result_number", json_string(req->result_number));
	if (req->result_date)
		json_object_set_new(o, "result_date", json_string(req->result_date));
	if (req->collector_name)
		json_object_set_new(o, "collector_name", json_string(req->collector_name));
	if (req->collector_id)
		json_object_set_new(o, "collector_id", json_string(req->collector_id));
	if (req->collector_authorised)
		json_object_set_new(o, "authorised", json_true());
	if (req->delivery)
		json_object_set_new(o, "delivery", json_string(req->delivery));
	if (req->items)
		json_object_set(o, "items", req->items);
	if (json_object_size(o) == 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- what a step records ---- */

int rec_act_enrich(app *a, const app_actor *by, int action, const app_act_req *req,
		   const dsr_rec *before, const st_dossier *d, const char *comment, mc_time now,
		   json_t *p, mc_err *e)
{
	if (notice_kind(action))
		json_object_set_new(p, "issuer", issuer_json(by));
	if (req->items && json_array_size(req->items))
		json_object_set(p, "items", req->items);
	if (action == DSR_APOLOGY) {
		int after = 0, short_notice = 0;
		int rc = dsr_apology_timing(before, now, &a->clock, &after, &short_notice, e);
		if (rc)
			return rc;
		/* LAW: Circular 03/2025/TT-VPCP form 4: the original
		 * appointment, the reason, the new appointment; Decree
		 * 61/2018/NĐ-CP art. 19 as amended: sent at the latest one day
		 * before the due date (short_notice when later, after_due once
		 * the appointment has passed). */
		json_object_set_new(p, "apology",
				    json_pack("{s:s, s:o, s:o, s:o, s:b, s:b, s:o}", "reason", comment,
					      "original_due", app_json_time(before->due_at), "new_due",
					      app_json_time(d->r.due_at), "issued_at", app_json_time(now),
					      "after_due", after, "short_notice", short_notice, "signer",
					      issuer_json(by)));
	}
	if (action == DSR_APPROVE && req->result_number) {
		char today[11];
		cal_format_date(cal_local_day(now), today);
		json_object_set_new(p, "result",
				    json_pack("{s:s, s:s}", "number", req->result_number, "date",
					      req->result_date ? req->result_date : today));
	}
	if (action == DSR_RETURN) {
		const char *name = req->collector_name && *req->collector_name ? req->collector_name
										: comment;
		const char *how = req->delivery ? req->delivery : "desk";
		json_object_set_new(p, "collection",
				    json_pack("{s:s, s:s, s:b, s:s}", "name", name ? name : "",
					      "id_number", req->collector_id ? req->collector_id : "",
					      "by_authorisation", req->collector_authorised, "delivery",
					      how));
	}
	return MC_OK;
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int rec_act_save(app *a, const app_actor *by, int action, const st_dossier *d, int64_t seq,
		 mc_time now, const json_t *p, mc_err *e)
{
	const char *kind = notice_kind(action);
	int rc = MC_OK;
	if (kind) {
		json_t *data = json_object();
		json_t *items = json_object_get(p, "items");
		if (items)
			json_object_set(data, "items", items);
		json_t *ap = json_object_get(p, "apology");
		if (ap) {
			const char *keys[] = { "original_due", "new_due", "after_due", "short_notice" };
			for (size_t i = 0; i < MC_ARRAY_LEN(keys); i++)
				json_object_set(data, keys[i], json_object_get(ap, keys[i]));
		}
		char *text = json_dumps(data, JSON_COMPACT);
		json_decref(data);
		st_notice n = {
			.dossier = d->code, .agency = d->r.agency, .seq = seq, .kind = kind,
			.issued_at = now, .issuer = by->login, .issuer_name = by->name,
			.issuer_title = dsr_role_label_vi(by->role), .reason = jstr(p, "comment"),
			.data = text ? text : "{}",
		};
		rc = st_notice_insert(a->st, &n, e);
		free(text);
	}
	json_t *res = json_object_get(p, "result");
	if (!rc && res) {
		st_result r = { .dossier = d->code, .agency = d->r.agency,
				.number = jstr(res, "number"), .date = jstr(res, "date"),
				.recorded_by = by->login, .recorded_at = now };
		rc = st_result_set(a->st, &r, e);
	}
	json_t *col = json_object_get(p, "collection");
	if (!rc && col) {
		st_result r = { .dossier = d->code, .agency = d->r.agency,
				.collector_name = jstr(col, "name"),
				.collector_id = jstr(col, "id_number"),
				.authorised = json_is_true(json_object_get(col, "by_authorisation")),
				.delivery = jstr(col, "delivery"), .returned_by = by->login,
				.returned_at = now };
		rc = st_result_collect(a->st, &r, e);
	}
	return rc;
}

/* ---- reading ---- */

static int notice_one(void *ctx, const st_notice *n)
{
	json_t *arr = ctx;
	json_t *data = json_loads(n->data, 0, NULL);
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:{s:s, s:s, s:s}, s:s}", "seq",
			      (json_int_t)n->seq, "kind", n->kind, "label",
			      LABEL_OF(notices, n->kind) ? LABEL_OF(notices, n->kind) : n->kind,
			      "issued_at", app_json_time(n->issued_at), "issuer", "login", n->issuer,
			      "name", n->issuer_name, "title", n->issuer_title, "reason", n->reason);
	json_t *items = json_object_get(data, "items");
	json_object_set_new(o, "items", json_is_array(items) ? json_incref(items) : json_array());
	if (strcmp(n->kind, "apology") == 0) {
		const char *keys[] = { "original_due", "new_due", "after_due", "short_notice" };
		for (size_t i = 0; i < MC_ARRAY_LEN(keys); i++) {
			json_t *v = json_object_get(data, keys[i]);
			json_object_set(o, keys[i], v ? v : json_null());
		}
	}
	json_decref(data);
	json_array_append_new(arr, o);
	return 0;
}

static json_t *fee_json(const st_fee *f)
{
	const char *ml = LABEL_OF(methods, f->method), *xl = LABEL_OF(exemptions, f->exemption);
	return json_pack("{s:s, s:I, s:o, s:I, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:s}",
			 "dossier", f->dossier, "seq", (json_int_t)f->seq, "at", app_json_time(f->at),
			 "amount", (json_int_t)f->amount, "method", f->method, "method_label",
			 ml ? ml : "", "receipt_no", f->receipt_no, "collector", "login",
			 f->collector, "name", f->collector_name, "exemption", f->exemption,
			 "exemption_label", xl ? xl : "", "exemption_reason", f->exemption_reason);
}

typedef struct {
	json_t *items;
	int64_t total;
} fee_list_ctx;

static int fee_one(void *ctx, const st_fee *f)
{
	fee_list_ctx *c = ctx;
	json_array_append_new(c->items, fee_json(f));
	c->total += f->amount;
	return 0;
}

static int result_one(void *ctx, const st_result *r)
{
	json_t **o = ctx;
	const char *dl = LABEL_OF(deliveries, r->delivery);
	*o = json_pack("{s:o, s:o}", "result",
		       r->number[0] ? json_pack("{s:s, s:s, s:s, s:o}", "number", r->number, "date",
						r->date, "recorded_by", r->recorded_by, "recorded_at",
						app_json_time(r->recorded_at))
				    : json_null(),
		       "collection",
		       r->returned_at ? json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:o}", "name",
						  r->collector_name, "id_number", r->collector_id,
						  "by_authorisation", r->authorised, "delivery",
						  r->delivery, "delivery_label", dl ? dl : "",
						  "returned_by", r->returned_by, "returned_at",
						  app_json_time(r->returned_at))
				      : json_null());
	return 0;
}

/* The default fee of the dossier's procedure and channel (fee_default). */
static json_t *fee_default_json(app *a, const st_dossier *d)
{
	int64_t amount = -1;
	char text[512] = "";
	mc_err ignore;
	MC_IGNORE(app_procedure_fee(a, d->procedure, d->channel, &amount, text, sizeof text,
				    &ignore));
	return json_pack("{s:o, s:s}", "amount", amount >= 0 ? json_integer(amount) : json_null(),
			 "text", text);
}

int rec_dossier_json(app *a, const st_dossier *d, mc_time now, json_t *j, mc_err *e)
{
	json_t *ns = json_array();
	int rc = st_notice_list(a->st, d->code, notice_one, ns, e);
	fee_list_ctx fc = { .items = json_array() };
	if (!rc)
		rc = st_fee_list(a->st, d->code, fee_one, &fc, e);
	json_t *res = NULL;
	if (!rc)
		rc = st_result_get(a->st, d->code, result_one, &res, e);
	if (rc) {
		json_decref(ns);
		json_decref(fc.items);
		json_decref(res);
		return rc;
	}
	/* The apology: its own data, kept for the form (issue 10 item 4). */
	json_t *apology = json_null();
	size_t i;
	json_t *n;
	json_array_foreach(ns, i, n) {
		if (strcmp(jstr(n, "kind"), "apology") != 0)
			continue;
		json_decref(apology);
		int short_notice = json_is_true(json_object_get(n, "short_notice"));
		int after = json_is_true(json_object_get(n, "after_due"));
		apology = json_pack(
			"{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o}", "reason", json_object_get(n, "reason"),
			"original_due", json_object_get(n, "original_due"), "new_due",
			json_object_get(n, "new_due"), "issued_at", json_object_get(n, "issued_at"),
			"signer", json_object_get(n, "issuer"), "after_due",
			json_object_get(n, "after_due"), "short_notice",
			json_object_get(n, "short_notice"), "warning",
			after ? json_string("Văn bản xin lỗi được lập sau khi đã quá hạn giải quyết; "
					    "Nghị định 61/2018/NĐ-CP yêu cầu gửi chậm nhất 01 ngày "
					    "trước ngày hết hạn.")
			: short_notice ? json_string("Văn bản xin lỗi được lập muộn hơn 01 ngày làm việc "
						     "trước hạn giải quyết (Nghị định 61/2018/NĐ-CP: "
						     "chậm nhất 01 ngày trước ngày hết hạn).")
				       : json_null());
	}
	json_object_set_new(j, "notices", ns);
	json_object_set_new(j, "apology", apology);
	json_object_set_new(j, "overdue_legal", json_boolean(dsr_is_overdue_legal(&d->r, now)));
	json_object_set_new(j, "fees", fc.items);
	json_object_set_new(j, "fee_total", json_integer(fc.total));
	json_object_set_new(j, "fee_default", fee_default_json(a, d));
	json_object_set(j, "result", res ? json_object_get(res, "result") : json_null());
	json_object_set(j, "collection", res ? json_object_get(res, "collection") : json_null());
	json_decref(res);
	return MC_OK;
}

/* ---- the default fee ---- */

int app_procedure_fee(app *a, const char *procedure, const char *channel, int64_t *amount,
		      char *text, size_t size, mc_err *e)
{
	json_t *p = NULL;
	*amount = -1;
	if (size)
		text[0] = 0;
	int rc = app_catalog_get(a, procedure, &p, e);
	if (rc)
		return rc;
	/* LAW: DOMAIN.md "Applicants, fees, results": fees and charges come
	 * from the catalog entry (often set by the province's council): the
	 * amount only when the entry states exactly one for the channel
	 * (catp_fee_amount); the officer enters or corrects it. */
	size_t i, used = 0;
	json_t *ch;
	int settled = 0, conflict = 0;
	int64_t v = -1;
	json_array_foreach(json_object_get(p, "channels"), i, ch) {
		if (strcmp(jstr(ch, "channel"), channel) != 0)
			continue;
		const char *fee = jstr(ch, "fee"), *note = jstr(ch, "fee_note");
		if (used < size && (fee[0] || note[0]))
			used += (size_t)snprintf(text + used, size - used, "%s%s%s%s%s",
						 used ? "; " : "", fee, note[0] ? " (" : "", note,
						 note[0] ? ")" : "");
		int64_t x;
		if (catp_fee_amount(fee, note, &x)) {
			conflict |= settled && x != v;
			v = x;
			settled = 1;
		} else {
			conflict = 1;
		}
	}
	if (used >= size && size > 4)
		memcpy(text + size - 4, "...", 4); /* a hint for the officer, not a record */
	if (settled && !conflict)
		*amount = v;
	/* The commune's own list, published by the province's decision, sets
	 * the fee over the national entry's words: app_catalog_get laid its
	 * entry over p as "local". */
	json_t *own = json_object_get(json_object_get(p, "local"), "fee");
	if (json_is_integer(own))
		*amount = json_integer_value(own);
	json_decref(p);
	return MC_OK;
}

/* ---- fees ---- */

static int check_fee(const app_fee_req *q, mc_err *e)
{
	if (q->amount < 0 || q->amount > APP_FEE_MAX)
		return mc_fail(e, MCE_FEE_BAD_VALUE,
			       "amount phải là số đồng nguyên từ 0 đến %lld",
			       "amount must be a whole number of đồng from 0 to %lld",
			       (long long)APP_FEE_MAX);
	const char *x = q->exemption ? q->exemption : "";
	if (*x && !LABEL_OF(exemptions, x))
		return mc_fail(e, MCE_FEE_BAD_VALUE, "exemption phải là full (miễn) hoặc partial (giảm)",
			       "exemption must be full or partial");
	if (*x && (!q->exemption_reason || !*q->exemption_reason))
		return mc_fail(e, MCE_FEE_BAD_VALUE, "miễn, giảm phí cần ghi lý do (exemption_reason)",
			       "an exemption needs its reason (exemption_reason)");
	if (!*x && q->exemption_reason && *q->exemption_reason)
		return mc_fail(e, MCE_FEE_BAD_VALUE, "exemption_reason chỉ ghi khi miễn hoặc giảm",
			       "exemption_reason goes with an exemption only");
	int rc = txt_check_field("exemption_reason", q->exemption_reason ? q->exemption_reason : "",
				 500, 0, 0, e);
	if (rc)
		return rc;
	if (strcmp(x, "full") == 0 && q->amount != 0)
		return mc_fail(e, MCE_FEE_BAD_VALUE, "miễn phí thì số tiền (amount) phải là 0",
			       "a full exemption collects 0");
	if (strcmp(x, "full") != 0 && q->amount == 0)
		return mc_fail(e, MCE_FEE_BAD_VALUE,
			       "số tiền 0 đồng chỉ ghi khi miễn phí (exemption: full, có lý do)",
			       "an amount of 0 is recorded as a full exemption with its reason");
	const char *m = q->method ? q->method : "";
	if (q->amount > 0 && !LABEL_OF(methods, m))
		return mc_fail(e, MCE_FEE_BAD_VALUE,
			       "method phải là cash (tiền mặt), transfer (chuyển khoản) hoặc online (trực tuyến)",
			       "method must be cash, transfer or online");
	if (q->amount == 0 && *m)
		return mc_fail(e, MCE_FEE_BAD_VALUE, "miễn phí thì không ghi hình thức nộp (method)",
			       "nothing collected: no method");
	const char *r = q->receipt_no ? q->receipt_no : "";
	size_t n = strlen(r);
	if (q->amount > 0 && n == 0)
		return mc_fail(e, MCE_FEE_BAD_VALUE, "cần ghi số biên lai (receipt_no)",
			       "receipt_no is required");
	if (q->amount == 0 && n)
		return mc_fail(e, MCE_FEE_BAD_VALUE, "miễn phí thì không có số biên lai",
			       "nothing collected: no receipt");
	int ok = n <= 30;
	for (size_t i = 0; ok && i < n; i++)
		ok = (r[i] >= '0' && r[i] <= '9') || (r[i] >= 'A' && r[i] <= 'Z') ||
		     (r[i] >= 'a' && r[i] <= 'z') || strchr("/.-_", r[i]);
	if (!ok)
		return mc_fail(e, MCE_FEE_BAD_VALUE,
			       "receipt_no (số biên lai) gồm tối đa 30 chữ, số hoặc / . - _",
			       "receipt_no is at most 30 letters, digits or / . - _");
	return MC_OK;
}

int app_fee_record(app *a, const app_actor *by, const char *code, const app_fee_req *q,
		   mc_time now, mc_err *e)
{
	/* LAW: DOMAIN.md "The centre's staff and channels": the receiving
	 * officer collects fees; DOMAIN.md "Applicants, fees, results": the
	 * amount, method (cash, transfer, online), receipt number, collector;
	 * some applicants are exempt. */
	if (by->role != ROLE_RECEPTION && by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "vai trò '%s' không được thu phí, lệ phí",
			       "role '%s' may not collect fees", dsr_role_name(by->role));
	int rc = check_fee(q, e);
	if (!rc && q->request_key)
		rc = app_reqkey_valid(q->request_key, e);
	if (rc)
		return rc;
	if (q->replayed)
		*q->replayed = 0;
	char *reason = txt_nfc(q->exemption_reason ? q->exemption_reason : "");
	st_fee f = {
		.dossier = code, .at = now, .amount = q->amount, .method = q->method ? q->method : "",
		.receipt_no = q->receipt_no ? q->receipt_no : "", .collector = by->login,
		.collector_name = by->name, .exemption = q->exemption ? q->exemption : "",
		.exemption_reason = reason ? reason : "",
	};
	json_t *fee = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "amount", (json_int_t)f.amount,
				"method", f.method, "receipt_no", f.receipt_no, "collector", f.collector,
				"exemption", f.exemption, "exemption_reason", f.exemption_reason);
	char request[160], was[96];
	json_t *fields = json_deep_copy(fee);
	json_object_set_new(fields, "code", json_string(code ? code : ""));
	app_request_id("fee", fields, request);
	st_dossier d;
	memset(&d, 0, sizeof d);
	int seen = 0;
	rc = st_begin(a->st, e);
	if (!rc && q->request_key)
		rc = app_reqkey_seen(a, by, q->request_key, request, was, &seen, e);
	if (!rc && seen) {
		if (q->replayed)
			*q->replayed = 1;
		st_rollback(a->st);
	} else {
		if (!rc)
			rc = st_dossier_get(a->st, code, &d, e);
		if (!rc && strcmp(d.r.agency, a->agency) != 0)
			rc = mc_fail(e, MCE_DOSSIER_MOVED,
				     "hồ sơ '%s' đã được chuyển sang cơ quan '%s'",
				     "dossier '%s' now belongs to agency '%s'", d.code, d.r.agency);
		if (!rc && (d.r.state == DSR_REFUSED || d.r.state == DSR_SUBMITTED))
			rc = mc_fail(e, MCE_DOSSIER_WRONG_STATE,
				     "hồ sơ chưa được tiếp nhận nên chưa thu phí, lệ phí",
				     "the dossier was not received: no fee is collected");
		if (!rc) {
			f.agency = d.r.agency;
			json_object_set_new(fee, "collector_name", json_string(by->name));
			json_t *p = json_pack("{s:s, s:s, s:s, s:O}", "action", "fee", "from",
					      dsr_state_name(d.r.state), "to",
					      dsr_state_name(d.r.state), "fee", fee);
			rc = ev_append(a->st, now, by->login, "dossier.fee", d.code, p, &d.last_seq,
				       e);
			json_decref(p);
		}
		if (!rc) {
			f.seq = d.last_seq;
			rc = st_fee_insert(a->st, &f, e);
		}
		if (!rc)
			rc = st_dossier_touch(a->st, d.code, d.last_seq, e);
		if (!rc && q->request_key)
			rc = st_reqkey_put(a->st, by->login, q->request_key, request, d.code, now, e);
		rc = st_end(a->st, rc, e);
	}
	json_decref(fee);
	free(reason);
	st_dossier_release(&d);
	return rc;
}

/* Totals of one group (a day, an officer, a day and officer). */
static void add_to(json_t *o, const st_fee *f)
{
	json_t *bm = json_object_get(o, "by_method");
	json_object_set_new(o, "count", json_integer(json_integer_value(json_object_get(o, "count")) + 1));
	json_object_set_new(o, "amount",
			    json_integer(json_integer_value(json_object_get(o, "amount")) + f->amount));
	const char *m = f->method[0] ? f->method : "exempt";
	json_object_set_new(bm, m, json_integer(json_integer_value(json_object_get(bm, m)) + f->amount));
	if (f->exemption[0])
		json_object_set_new(o, "exemptions",
				    json_integer(json_integer_value(json_object_get(o, "exemptions")) + 1));
}

static json_t *group_new(void)
{
	return json_pack("{s:i, s:i, s:i, s:{s:i, s:i, s:i}}", "count", 0, "amount", 0, "exemptions",
			 0, "by_method", "cash", 0, "transfer", 0, "online", 0);
}

typedef struct {
	json_t *days, *officers, *items, *total;
	json_t *day_index, *officer_index; /* key -> group */
} report_ctx;

static json_t *group_for(json_t *index, json_t *arr, const char *key, json_t *init)
{
	json_t *g = json_object_get(index, key);
	if (!g) {
		g = group_new();
		json_object_update(g, init);
		json_array_append_new(arr, g);
		json_object_set(index, key, g);
	}
	json_decref(init);
	return g;
}

static int report_one(void *ctx, const st_fee *f)
{
	report_ctx *c = ctx;
	char day[11], key[96];
	cal_format_date(cal_local_day(f->at), day);
	json_t *d = group_for(c->day_index, c->days, day,
			      json_pack("{s:s, s:[]}", "date", day, "officers"));
	add_to(d, f);
	snprintf(key, sizeof key, "%s %s", day, f->collector);
	json_t *dix = json_object_get(d, "_index");
	if (!dix) {
		dix = json_object();
		json_object_set_new(d, "_index", dix);
	}
	add_to(group_for(dix, json_object_get(d, "officers"), f->collector,
			 json_pack("{s:s, s:s}", "login", f->collector, "name", f->collector_name)),
	       f);
	add_to(group_for(c->officer_index, c->officers, f->collector,
			 json_pack("{s:s, s:s}", "login", f->collector, "name", f->collector_name)),
	       f);
	add_to(c->total, f);
	json_array_append_new(c->items, fee_json(f));
	return 0;
}

int app_fee_report(app *a, const app_actor *by, const char *from, const char *to, mc_time now,
		   json_t **out, mc_err *e)
{
	if (by->role == ROLE_SPECIALIST)
		return mc_fail(e, MCE_ROLE, "vai trò '%s' không xem được sổ thu phí",
			       "role '%s' may not read the fee book", dsr_role_name(by->role));
	int32_t d0 = cal_local_day(now), d1 = d0;
	if (from && *from && cal_parse_date(from, &d0, e))
		return mc_fail(e, MCE_FEE_BAD_VALUE, "from phải là ngày YYYY-MM-DD",
			       "from must be a date YYYY-MM-DD");
	if (to && *to && cal_parse_date(to, &d1, e))
		return mc_fail(e, MCE_FEE_BAD_VALUE, "to phải là ngày YYYY-MM-DD",
			       "to must be a date YYYY-MM-DD");
	if (!(from && *from) && to && *to)
		d0 = d1;
	if (d1 < d0 || d1 - d0 > 30)
		return mc_fail(e, MCE_FEE_BAD_VALUE,
			       "khoảng ngày (from, to) phải từ 1 đến 31 ngày, from không sau to",
			       "the range (from, to) must be 1 to 31 days, from not after to");
	report_ctx c = { .days = json_array(), .officers = json_array(), .items = json_array(),
			 .total = group_new(), .day_index = json_object(),
			 .officer_index = json_object() };
	int rc = st_fee_range(a->st, a->agency, cal_time_of(d0, 0), cal_time_of(d1 + 1, 0),
			      report_one, &c, e);
	size_t i;
	json_t *d;
	json_array_foreach(c.days, i, d)
		json_object_del(d, "_index");
	json_decref(c.day_index);
	json_decref(c.officer_index);
	if (rc) {
		json_decref(c.days);
		json_decref(c.officers);
		json_decref(c.items);
		json_decref(c.total);
		return rc;
	}
	char f0[11], f1[11];
	cal_format_date(d0, f0);
	cal_format_date(d1, f1);
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "from", f0, "to", f1, "total", c.total,
			 "days", c.days, "officers", c.officers, "items", c.items);
	return MC_OK;
}

/* ---- the public address ---- */

/* LAW: Circular 03/2025/TT-VPCP form 1: the receipt gives the address where
 * the applicant tracks the dossier; it must be the centre's public one, not
 * the officer's own machine (issue 10, "Look-up address"). */
int app_public_url_set(app *a, const app_actor *by, const char *url, mc_time now, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được thay đổi cài đặt",
			       "only an administrator may change settings");
	size_t n = strlen(url);
	const char *host = strncmp(url, "https://", 8) == 0  ? url + 8
			   : strncmp(url, "http://", 7) == 0 ? url + 7
							     : NULL;
	int ok = n == 0 || (host && n <= 200 && *host && *host != '/' && *host != ':');
	for (size_t i = 0; ok && i < n; i++)
		ok = url[i] > ' ' && url[i] < 0x7f && !strchr("\"<>\\^`{|}?#", url[i]);
	if (!ok)
		return mc_fail(e, MCE_SETTINGS_BAD_VALUE,
			       "public_url phải là địa chỉ tuyệt đối http:// hoặc https:// (tối đa 200 ký tự, không có ? hay #), hoặc rỗng để bỏ",
			       "public_url must be an absolute http:// or https:// address (at most 200 characters, no ? or #), or empty to unset");
	char v[208];
	snprintf(v, sizeof v, "%s", url);
	while (n > 0 && v[n - 1] == '/')
		v[--n] = 0; /* the look-up path is appended to it */
	json_t *p = json_pack("{s:s}", "public_url", v);
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_setting_set(a->st, "public_url", v, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "settings.updated", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	return rc;
}

json_t *app_public_url_json(app *a)
{
	char *v = NULL;
	mc_err ignore;
	if (st_setting_get(a->st, "public_url", &v, &ignore) || !v || !*v) {
		free(v);
		return json_null();
	}
	json_t *j = json_string(v);
	free(v);
	return j;
}
