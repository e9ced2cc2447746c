/*
 * dossier.c - receiving dossiers and moving them through their life cycle:
 * validation, permission, the state machine, the row and its event, all in
 * one transaction.
 */
#include "app_int.h"

#include <sodium.h>

#include "core/txt.h"
#include "sb.h"
#include "store/ev.h"
#include "app/sync.h"

static const char *const channels[] = { "direct", "online", "postal" };

/* ---- JSON views ---- */

static json_t *components_json(const char *text)
{
	json_t *c = text ? json_loads(text, 0, NULL) : NULL;
	return c && json_is_array(c) ? c : (json_decref(c), json_array());
}

/* The dossier as JSON. now = 0 leaves out what depends on the clock
 * (events carry this form, so it must be the same on every node). */
static json_t *applicant_json(const st_dossier *d);

static json_t *dossier_json(app *a, const st_dossier *d, mc_time now)
{
	const dsr_rec *r = &d->r;
	char pname[512] = "";
	double amt;
	int unit;
	mc_err ignore;
	if (a)
		MC_IGNORE(st_procedure_time(a->st, d->procedure, st_channel_parse(d->channel),
					    &amt, &unit, NULL, pname, sizeof pname, &ignore));
	json_t *j = json_object();
	json_object_set_new(j, "code", json_string(d->code));
	json_object_set_new(j, "agency", json_string(r->agency));
	json_object_set_new(j, "origin", json_string(d->origin));
	json_object_set_new(j, "procedure", json_string(d->procedure));
	if (a)
		json_object_set_new(j, "procedure_name", json_string(pname));
	json_object_set_new(j, "channel", json_string(d->channel));
	json_object_set_new(j, "status", json_string(dsr_state_name(r->state)));
	json_object_set_new(j, "status_code", json_integer(dsr_state_code(r->state)));
	json_object_set_new(j, "status_label", json_string(dsr_state_label_vi(r->state)));
	json_object_set_new(j, "applicant", applicant_json(d));
	json_object_set_new(j, "summary", json_string(d->summary));
	json_object_set_new(j, "components", components_json(d->components));
	json_object_set_new(j, "processing_time",
			    json_pack("{s:f, s:s, s:b}", "amount", r->time_amount, "unit",
				      dl_unit_name(r->time_unit), "unit_guessed", d->time_guessed));
	json_object_set_new(j, "submitted_at", app_json_time(d->submitted_at));
	json_object_set_new(j, "received_at", app_json_time(r->received_at));
	json_object_set_new(j, "due_at", app_json_time(r->due_at));
	json_object_set_new(j, "due_legal", app_json_time(r->due_legal));
	json_object_set_new(j, "assignee", json_string(r->assignee));
	json_object_set_new(j, "resume_status",
			    r->resume_state >= 0 ? json_string(dsr_state_name(r->resume_state))
						 : json_null());
	json_object_set_new(j, "paused_at", app_json_time(r->paused_at));
	json_object_set_new(j, "supplements", json_integer(r->supplements));
	json_object_set_new(j, "supplements_processing", json_integer(r->supplements_processing));
	json_object_set_new(j, "apology_at", app_json_time(r->apology_at));
	json_object_set_new(j, "finished_at", app_json_time(r->finished_at));
	json_object_set_new(j, "timeliness", r->timeliness ? json_string(dl_timeliness_name(r->timeliness))
							   : json_null());
	json_object_set_new(j, "timeliness_label",
			    r->timeliness ? json_string(dl_timeliness_label_vi(r->timeliness))
					  : json_null());
	json_object_set_new(j, "returned_at", app_json_time(r->returned_at));
	json_object_set_new(j, "collected_by", json_string(d->collected_by ? d->collected_by : ""));
	json_object_set_new(j, "note", json_string(d->note ? d->note : ""));
	json_object_set_new(j, "sets", json_integer(d->sets > 0 ? d->sets : 1));
	json_object_set_new(j, "register",
			    d->register_no ? json_pack("{s:i, s:I}", "book", d->register_book, "no",
						       (json_int_t)d->register_no)
					   : json_null());
	if (now)
		json_object_set_new(j, "overdue", json_boolean(dsr_is_overdue(r, now)));
	return j;
}

/* ---- receive ---- */

static int check_components(const json_t *c, mc_err *e)
{
	if (!c || json_is_null(c))
		return MC_OK;
	if (!json_is_array(c))
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "components phải là một mảng",
			       "components must be an array");
	if (json_array_size(c) > 100)
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "components có hơn 100 mục",
			       "components has more than 100 items");
	size_t i;
	json_t *it;
	json_array_foreach(c, i, it) {
		if (!json_is_object(it))
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "components[%zu] phải là một đối tượng",
				       "components[%zu] must be an object", i);
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)it, k, v) {
			if (strcmp(k, "name") == 0) {
				if (!json_is_string(v))
					return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
						       "components[%zu].name phải là chuỗi ký tự",
						       "components[%zu].name must be a string", i);
			} else if (strcmp(k, "originals") == 0 || strcmp(k, "copies") == 0 ||
				   strcmp(k, "photocopies") == 0) {
				if (!json_is_integer(v) || json_integer_value(v) < 0 ||
				    json_integer_value(v) > 100)
					return mc_fail(
						e, MCE_DOSSIER_BAD_FIELD,
						"components[%zu].%s phải là số nguyên từ 0 đến 100",
						"components[%zu].%s must be a whole number 0-100",
						i, k);
			} else {
				return mc_fail(
					e, MCE_DOSSIER_BAD_FIELD,
					"components[%zu] có trường không được chấp nhận '%s'",
					"components[%zu] has unknown field '%s'", i, k);
			}
		}
		char field[48];
		snprintf(field, sizeof field, "components[%zu].name", i);
		/* The national catalog has component names of up to ~10 KB (a
		 * whole legal paragraph): the officer ticks them as they are. */
		int rc = txt_check_field(field, json_string_value(json_object_get(it, "name")),
					 16 * 1024, 1, 1, e);
		if (rc)
			return rc;
	}
	return MC_OK;
}

static int is_org(const app_receive_req *q)
{
	return q->kind && strcmp(q->kind, "organisation") == 0;
}

/* The applicant's identity document, and an organisation's name, tax code
 * and representative (none of those for a person). */
static int check_identity(const app_receive_req *q, mc_err *e)
{
	char num[24], type[16], tax[16];
	if (q->kind && *q->kind && strcmp(q->kind, "person") != 0 && !is_org(q))
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "applicant.kind phải là person hoặc organisation",
			       "applicant.kind must be person or organisation");
	int rc = txt_valid_id(q->id_type, q->id_number, num, type, e);
	if (rc || !is_org(q)) {
		if (!rc && ((q->org_name && *q->org_name) || (q->tax_code && *q->tax_code) ||
			    (q->representative && *q->representative)))
			rc = mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				     "org_name, tax_code và representative chỉ dành cho tổ chức "
				     "(kind organisation)",
				     "org_name, tax_code and representative are for an organisation "
				     "(kind organisation) only");
		return rc;
	}
	rc = txt_check_field("applicant.org_name", q->org_name, 300, 1, 0, e);
	if (!rc)
		rc = txt_check_field("applicant.tax_code", q->tax_code, 32, 1, 0, e);
	if (!rc)
		rc = txt_tax_code_normalize(q->tax_code, tax, e);
	if (!rc)
		rc = txt_check_field("applicant.representative", q->representative, 200, 1, 0, e);
	return rc;
}

static int check_receive(const app_actor *by, const app_receive_req *q, mc_time now, mc_err *e)
{
	if (by->role != ROLE_RECEPTION && by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "vai trò '%s' không được tiếp nhận hồ sơ",
			       "role '%s' may not receive dossiers", dsr_role_name(by->role));
	if (!q->procedure || !*q->procedure)
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "chưa chọn thủ tục (procedure)",
			       "procedure is required");
	if (!q->channel || st_channel_parse(q->channel) < 0)
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "channel phải là direct, online hoặc postal",
			       "channel must be direct, online or postal");
	int rc = txt_check_field("applicant.name", q->name, 200, 1, 0, e);
	if (!rc)
		rc = check_identity(q, e);
	if (!rc)
		rc = txt_valid_phone(q->phone ? q->phone : "", e);
	if (!rc && q->email && *q->email)
		rc = txt_valid_email(q->email, e);
	if (!rc)
		rc = txt_check_field("applicant.address", q->address ? q->address : "", 500, 0, 1, e);
	if (!rc)
		rc = txt_check_field("summary", q->summary ? q->summary : "", 2000, 0, 1, e);
	if (!rc)
		rc = check_components(q->components, e);
	/* LAW: Circular 03/2025/TT-VPCP form 1, "Số lượng hồ sơ: ... (bộ)". */
	if (!rc && (q->sets < 0 || q->sets > 20))
		rc = mc_fail(e, MCE_DOSSIER_BAD_FIELD, "sets (số bộ hồ sơ) phải từ 1 đến 20",
			     "sets must be a whole number from 1 to 20");
	if (rc)
		return rc;
	if (q->received_at && q->received_at != now) {
		/* Back-dating is for entering paper-era records, by an admin. */
		if (by->role != ROLE_ADMIN)
			return mc_fail(e, MCE_ROLE,
				       "chỉ quản trị hệ thống được ghi lùi ngày tiếp nhận",
				       "only an administrator may back-date a reception");
		if (q->received_at > now)
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "ngày tiếp nhận (received_at) ở tương lai",
				       "received_at is in the future");
		if (q->received_at < cal_time_of(cal_days_from_civil(2000, 1, 1), 0))
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "ngày tiếp nhận (received_at) trước năm 2000",
				       "received_at is before 2000");
	}
	return MC_OK;
}

/* ---- idempotency keys ---- */

int app_reqkey_valid(const char *k, mc_err *e)
{
	size_t n = strlen(k);
	int ok = n >= 8 && n <= 64;
	for (size_t i = 0; ok && i < n; i++)
		ok = (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= 'a' && k[i] <= 'z') ||
		     (k[i] >= '0' && k[i] <= '9') || k[i] == '-' || k[i] == '_';
	return ok ? MC_OK
		  : mc_fail(e, MCE_INVALID,
			    "Idempotency-Key phải gồm 8 đến 64 chữ cái, chữ số, '-' hoặc '_'",
			    "Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'");
}

/* What an idempotency key is bound to (OUT: out, 160 bytes):
 * "<kind>:<SHA-256 hex of fields as canonical JSON>", fields holding every
 * input of the request, so that the same key with another body is told
 * apart from a retry. Takes fields' reference. */
void app_request_id(const char *kind, json_t *fields, char out[160])
{
	/* Only requests that succeeded are stored, and their fields always
	 * encode; one that does not (invalid UTF-8) hashes "" and so matches
	 * none of them. */
	char *c = fields ? json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)(c ? c : ""), c ? strlen(c) : 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, 160, "%s:%s", kind, hex);
	free(c);
	json_decref(fields);
}

/* Inside the write transaction: has by used key before? OUT: *seen = 1 and
 * code = the dossier of that request if it was this request; MC_ECONFLICT
 * if it was another. */
int app_reqkey_seen(app *a, const app_actor *by, const char *key, const char *request,
		       char code[96], int *seen, mc_err *e)
{
	char was[160], dossier[96];
	*seen = 0;
	int rc = st_reqkey_get(a->st, by->login, key, was, dossier, e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (rc)
		return rc;
	if (strcmp(was, request) != 0)
		return mc_fail(e, MCE_IDEMPOTENCY_REUSED,
			       "mã Idempotency-Key này đã được dùng cho một yêu cầu khác",
			       "this Idempotency-Key was used for another request");
	*seen = 1;
	snprintf(code, 96, "%s", dossier);
	return MC_OK;
}

/* The applicant as the API, the events and the UI see it: an
 * organisation's fields only for an organisation. */
static json_t *applicant_json(const st_dossier *d)
{
	int org = strcmp(d->kind, "organisation") == 0;
	json_t *ap = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind",
			       org ? "organisation" : "person", "name", d->name, "id_type",
			       d->id_type[0] ? d->id_type : "cccd", "id_number", d->id_number,
			       "phone", d->phone, "email", d->email, "address", d->address);
	if (org) {
		json_object_set_new(ap, "org_name", json_string(d->org_name ? d->org_name : ""));
		json_object_set_new(ap, "tax_code", json_string(d->tax_code));
		json_object_set_new(ap, "representative",
				    json_string(d->representative ? d->representative : ""));
	}
	return ap;
}

static char *nfc_or_copy(const char *s)
{
	char *n = txt_nfc(s ? s : "");
	return n ? n : mc_xstrdup(s ? s : "");
}

/* What search looks through, folded (no diacritics, lower case); NULL if
 * it cannot be made. Free it. */
static char *dossier_fold(const st_dossier *d)
{
	sb fold;
	sb_init(&fold, 16384);
	sb_addf(&fold, "%s %s %s %s %s %s %s", d->name, d->code, d->id_number, d->phone, d->summary,
		d->org_name ? d->org_name : "", d->tax_code);
	char *f = sb_err(&fold) ? NULL : txt_fold(sb_str(&fold));
	sb_release(&fold);
	return f;
}

/* Inside the transaction: the next code this node (or hub) issues on the
 * day of t. */
static int make_code(app *a, mc_time t, char code[96], mc_err *e)
{
	char day[16];
	int y, m, dd;
	cal_civil_from_days(cal_local_day(t), &y, &m, &dd);
	snprintf(day, sizeof day, "%02d%02d%02d", y % 100, m, dd);
	int64_t serial = 0;
	int rc = st_serial_next(a->st, a->agency, day, &serial, e);
	/* LAW: Circular 03/2025/TT-VPCP art. 13: <unit identifier>-YYMMDD-NNNN,
	 * serial per unit and day from 0001, widening past 9999. */
	if (!rc)
		snprintf(code, 96, "%s-%s-%04lld", a->agency, day, (long long)serial);
	return rc;
}

/* Inside the transaction: enters a received dossier d in this agency's
 * tracking register (the book of its reception's local year), once.
 * LAW: Circular 03/2025/TT-VPCP form 1 prints "Vào Sổ theo dõi hồ sơ,
 * Quyển số ..., Số thứ tự ..."; form 7 is that register. */
static int register_entry(app *a, st_dossier *d, mc_err *e)
{
	if (d->register_no || !d->r.received_at)
		return MC_OK;
	int y, m, dd;
	cal_civil_from_days(cal_local_day(d->r.received_at), &y, &m, &dd);
	d->register_book = y;
	return st_register_next(a->st, d->r.agency, y, &d->register_no, e);
}

/* The new dossier's record from a checked request q, received at t. */
static void dossier_from_req(app *a, const app_receive_req *q, mc_time t, mc_time now,
			     st_dossier *d)
{
	memset(d, 0, sizeof *d);
	d->r.resume_state = -1;
	snprintf(d->r.agency, sizeof d->r.agency, "%s", a->agency);
	snprintf(d->origin, sizeof d->origin, "%s", a->agency);
	snprintf(d->procedure, sizeof d->procedure, "%s", q->procedure);
	snprintf(d->channel, sizeof d->channel, "%s", channels[st_channel_parse(q->channel)]);
	d->name = nfc_or_copy(q->name);
	char num[24], type[16];
	mc_err ignore;
	MC_IGNORE(txt_valid_id(q->id_type, q->id_number, num, type, &ignore));
	d->id_number = mc_xstrdup(num);
	snprintf(d->id_type, sizeof d->id_type, "%s", type);
	snprintf(d->kind, sizeof d->kind, "%s", is_org(q) ? "organisation" : "person");
	d->org_name = is_org(q) ? nfc_or_copy(q->org_name) : mc_xstrdup("");
	d->representative = is_org(q) ? nfc_or_copy(q->representative) : mc_xstrdup("");
	if (is_org(q))
		MC_IGNORE(txt_tax_code_normalize(q->tax_code, d->tax_code, &ignore));
	char phone[16];
	MC_IGNORE(txt_phone_normalize(q->phone, phone));
	d->phone = mc_xstrdup(phone);
	d->email = nfc_or_copy(q->email);
	d->address = nfc_or_copy(q->address);
	d->summary = nfc_or_copy(q->summary);
	d->note = mc_xstrdup("");
	d->collected_by = mc_xstrdup("");
	char *c = q->components && json_is_array(q->components)
			  ? json_dumps(q->components, JSON_COMPACT)
			  : NULL;
	char *n = c ? txt_nfc(c) : NULL;
	d->components = n ? n : mc_xstrdup("[]");
	free(c);
	d->submitted_at = t;
	d->updated_at = now;
	d->sets = q->sets > 0 ? q->sets : 1;
	d->r.state = q->pending ? DSR_SUBMITTED : DSR_RECEIVED;
}

/* A reception's request id (see request_id): every field, as stored. */
static void receive_request_id(const st_dossier *d, const app_receive_req *q, char out[160])
{
	int org = strcmp(d->kind, "organisation") == 0;
	json_t *comps = json_loads(d->components, 0, NULL);
	json_t *req =
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o*, s:I, s:b, s:s*, s:s*, "
			     "s:s*, s:s*, s:s*}",
			     "procedure",
			     d->procedure, "channel", d->channel, "name", d->name, "id_number",
			     d->id_number, "phone", d->phone, "email", d->email, "address",
			     d->address, "summary", d->summary, "components", comps, "received_at",
			     (json_int_t)q->received_at, "pending", q->pending,
			     /* absent for a person with a CCCD, so a key made
			      * before these fields keeps its request id */
			     "id_type", strcmp(d->id_type, "cccd") ? d->id_type : NULL, "kind",
			     org ? d->kind : NULL, "org_name", org ? d->org_name : NULL, "tax_code",
			     org ? d->tax_code : NULL, "representative",
			     org ? d->representative : NULL);
	if (d->sets > 1) /* absent for one set, as before the field */
		json_object_set_new(req, "sets", json_integer(d->sets));
	app_request_id("receive", req, out);
}

/* Inside the transaction: was this reception made before under q's key?
 * OUT: *seen, and then d->code and d->r.due_at as they were made. */
static int receive_seen(app *a, const app_actor *by, const app_receive_req *q,
			const char *request, st_dossier *d, int *seen, mc_err *e)
{
	*seen = 0;
	if (!q->request_key)
		return MC_OK;
	int rc = app_reqkey_seen(a, by, q->request_key, request, d->code, seen, e);
	if (rc || !*seen)
		return rc;
	st_dossier old;
	rc = st_dossier_get(a->st, d->code, &old, e);
	if (!rc) {
		d->r.due_at = old.r.due_at;
		st_dossier_release(&old);
	}
	return rc;
}

/* Inside the transaction: times, code, event, row and key of a new
 * dossier d received at t. */
static int receive_write(app *a, const app_actor *by, const app_receive_req *q, mc_time t,
			 mc_time now, const char *request, st_dossier *d, mc_err *e)
{
	int rc = st_procedure_time(a->st, q->procedure, st_channel_parse(q->channel),
				   &d->r.time_amount, &d->r.time_unit, &d->time_guessed, NULL, 0, e);
	if (!rc && !q->pending)
		rc = dsr_start_clock(&d->r, t, &a->clock, e);
	if (!rc)
		rc = make_code(a, t, d->code, e);
	if (!rc)
		rc = register_entry(a, d, e);
	if (rc)
		return rc;
	char *f = dossier_fold(d);
	json_t *p = json_pack("{s:s, s:n, s:s, s:s?, s:o, s:o}", "action", "receive", "from", "to",
			      dsr_state_name(d->r.state), "comment", NULL, "step_due",
			      app_json_time(d->r.due_at), "dossier", dossier_json(NULL, d, 0));
	rc = ev_append(a->st, now, by->login, "dossier.received", d->code, p, &d->last_seq, e);
	if (!rc)
		rc = st_dossier_insert(a->st, d, f ? f : "", e);
	free(f);
	json_decref(p);
	if (!rc && q->request_key)
		rc = st_reqkey_put(a->st, by->login, q->request_key, request, d->code, now, e);
	return rc;
}

int app_receive(app *a, const app_actor *by, const app_receive_req *q, mc_time now, char *code,
		mc_time *due, mc_err *e)
{
	int rc = check_receive(by, q, now, e);
	if (!rc && q->request_key)
		rc = app_reqkey_valid(q->request_key, e);
	if (rc)
		return rc;
	if (q->replayed)
		*q->replayed = 0;
	mc_time t = q->received_at ? q->received_at : now;
	st_dossier d;
	dossier_from_req(a, q, t, now, &d);
	char request[160];
	receive_request_id(&d, q, request);
	int seen = 0;
	rc = st_begin(a->st, e);
	if (!rc)
		rc = receive_seen(a, by, q, request, &d, &seen, e);
	if (!rc && seen) {
		/* Answered before: the same dossier, nothing written. */
		if (q->replayed)
			*q->replayed = 1;
		st_rollback(a->st);
	} else {
		if (!rc)
			rc = receive_write(a, by, q, t, now, request, &d, e);
		rc = st_end(a->st, rc, e);
	}
	if (!rc) {
		snprintf(code, 96, "%s", d.code);
		if (due)
			*due = d.r.due_at;
	}
	st_dossier_release(&d);
	return rc;
}

/* ---- act ---- */

static int check_target_user(app *a, const char *login, mc_err *e)
{
	st_user u;
	int rc = st_user_get(a->st, login, &u, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_DOSSIER_UNKNOWN_OFFICER,
			       "không có cán bộ nào có tên đăng nhập '%s'", "unknown officer '%s'",
			       login);
	if (rc)
		return rc;
	if (u.disabled)
		return mc_fail(e, MCE_DOSSIER_OFFICER_DISABLED, "tài khoản cán bộ «%s» đã bị khoá",
			       "officer '%s' is disabled", login);
	if (u.role != ROLE_SPECIALIST && u.role != ROLE_LEADER)
		return mc_fail(
			e, MCE_USER_NOT_HANDLER,
			"cán bộ '%s' không phải chuyên viên hay lãnh đạo nên không nhận được hồ sơ",
			"officer '%s' is not a specialist or leader", login);
	return MC_OK;
}

static int action_list(char *out, size_t size)
{
	size_t n = 0;
	for (int i = 0; i < DSR_N_ACTIONS && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "", dsr_actions[i].name);
	return 0;
}

/* What can be checked before reading the dossier. OUT: *action. */
static int check_act(const app_actor *by, const app_act_req *req, mc_time now, int *action,
		     mc_err *e)
{
	*action = dsr_action_parse(req->action);
	if (*action < 0) {
		char list[400];
		(void)action_list(list, sizeof list);
		return mc_fail(
			e, MCE_DOSSIER_BAD_FIELD, "không có thao tác '%s' (chọn một trong: %s)",
			"unknown action '%s' (one of: %s)", req->action ? req->action : "", list);
	}
	const dsr_action_def *def = &dsr_actions[*action];
	if (!dsr_role_may(by->role, *action))
		return mc_fail(e, MCE_ROLE, "vai trò '%s' không được thực hiện thao tác '%s'",
			       "role '%s' may not '%s'", dsr_role_name(by->role), def->name);
	int rc = txt_check_field("comment", req->comment ? req->comment : "", 2000, 0, 1, e);
	if (rc)
		return rc;
	if (req->to_user && *req->to_user && !txt_utf8_valid(req->to_user, strlen(req->to_user)))
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "to không phải văn bản UTF-8 hợp lệ",
			       "to is not valid UTF-8");
	if (req->to_agency && *req->to_agency &&
	    !txt_utf8_valid(req->to_agency, strlen(req->to_agency)))
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "to_agency không phải văn bản UTF-8 hợp lệ",
			       "to_agency is not valid UTF-8");
	if ((def->needs & DSR_NEED_DUE) && req->new_due == 0)
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "thao tác '%s' cần ngày hẹn trả mới (new_due)",
			       "action '%s' needs the new appointment (new_due)", def->name);
	rc = rec_check_act(*action, req, now, e);
	if (rc)
		return rc;
	return req->request_key ? app_reqkey_valid(req->request_key, e) : MC_OK;
}

/* What depends on the dossier d (the state machine checks the rest):
 * this node owns it, a specialist acts on their own, the officer or agency
 * named exists. */
static int check_act_on(app *a, const app_actor *by, int action, const app_act_req *req,
			const st_dossier *d, mc_err *e)
{
	const dsr_action_def *def = &dsr_actions[action];
	if (strcmp(d->r.agency, a->agency) != 0)
		return mc_fail(e, MCE_DOSSIER_MOVED, "hồ sơ '%s' đã được chuyển sang cơ quan '%s'",
			       "dossier '%s' now belongs to agency '%s'", d->code, d->r.agency);
	if ((def->needs & DSR_OWN_ONLY) && by->role == ROLE_SPECIALIST &&
	    strcmp(d->r.assignee, by->login) != 0)
		return mc_fail(e, MCE_DOSSIER_NOT_ASSIGNED,
			       "hồ sơ '%s' đang được giao cho '%s', không phải cho bạn",
			       "dossier '%s' is assigned to '%s', not to you", d->code,
			       d->r.assignee);
	if (by->role == ROLE_SPECIALIST && action == DSR_REQUEST_SUPPLEMENT &&
	    d->r.state != DSR_PROCESSING)
		return mc_fail(e, MCE_DOSSIER_SUPPLEMENT_NOT_PROCESSING,
			       "chuyên viên chỉ yêu cầu bổ sung khi hồ sơ đang xử lý",
			       "a specialist requests supplements during processing only");
	if ((def->needs & DSR_NEED_USER) && req->to_user && *req->to_user) {
		int rc = check_target_user(a, req->to_user, e);
		if (rc)
			return rc;
	}
	if ((def->needs & DSR_NEED_AGENCY) && req->to_agency && *req->to_agency) {
		int rc = st_agency_get(a->st, req->to_agency, NULL, 0, e);
		if (rc == MC_ENOTFOUND)
			return mc_fail(e, MCE_DOSSIER_UNKNOWN_AGENCY, "không có cơ quan mã '%s'",
				       "unknown agency '%s'", req->to_agency);
		return rc;
	}
	return MC_OK;
}

/* Inside the transaction: moves d by action, then writes its event, its
 * row and the request key. */
static int act_write(app *a, const app_actor *by, int action, const app_act_req *req,
		     const char *comment, const char *request, mc_time now, st_dossier *d,
		     mc_err *e)
{
	const dsr_action_def *def = &dsr_actions[action];
	dsr_req dq = {
		.action = action, .actor = by->login, .role = by->role, .to_user = req->to_user,
		.to_agency = req->to_agency, .new_due = req->new_due, .comment = comment,
	};
	dsr_rec next, before = d->r;
	int from = d->r.state;
	int rc = dsr_apply(&d->r, &dq, now, &a->clock, &next, e);
	if (rc)
		return rc;
	d->r = next;
	d->updated_at = now;
	rc = register_entry(a, d, e); /* an online submission accepted */
	if (rc)
		return rc;
	/* LAW: Circular 03/2025/TT-VPCP forms 2, 3, 4 and 5 each give the
	 * reason for the state they put the dossier in; the note is that reason
	 * for the state it is in now (refusal, supplement request, send-back,
	 * stop, apology, withdrawal). A later step that moves it on leaves an
	 * empty note, so a returned dossier never shows an old send-back comment
	 * as current (issue 10 item 8). Every comment stays on the timeline. */
	free(d->note);
	d->note = mc_xstrdup((def->needs & DSR_NEED_COMMENT) || action == DSR_WITHDRAW ? comment : "");
	if (action == DSR_RETURN) {
		free(d->collected_by);
		d->collected_by = mc_xstrdup(req->collector_name && *req->collector_name
						     ? req->collector_name
						     : comment);
	}
	char kind[64];
	snprintf(kind, sizeof kind, "dossier.%s", def->name);
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "action", def->name, "from",
			      dsr_state_name(from), "to", dsr_state_name(d->r.state), "comment",
			      comment, "step_due", app_json_time(d->r.due_at), "dossier",
			      dossier_json(NULL, d, 0));
	if (req->to_user && *req->to_user)
		json_object_set_new(p, "to_user", json_string(req->to_user));
	if (req->to_agency && *req->to_agency)
		json_object_set_new(p, "to_agency", json_string(req->to_agency));
	rc = rec_act_enrich(a, by, action, req, &before, d, comment, now, p, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, kind, d->code, p, &d->last_seq, e);
	if (!rc)
		rc = rec_act_save(a, by, action, d, d->last_seq, now, p, e);
	json_decref(p);
	if (!rc)
		rc = st_dossier_update(a->st, d, e);
	if (!rc && req->request_key)
		rc = st_reqkey_put(a->st, by->login, req->request_key, request, d->code, now, e);
	return rc;
}

int app_act(app *a, const app_actor *by, const char *code, const app_act_req *req, mc_time now,
	    mc_err *e)
{
	int action;
	int rc = check_act(by, req, now, &action, e);
	if (rc)
		return rc;
	if (req->replayed)
		*req->replayed = 0;
	st_dossier d;
	memset(&d, 0, sizeof d);
	char *comment = nfc_or_copy(req->comment);
	char request[160], was[96];
	app_request_id("act",
		   json_pack("{s:s?, s:s, s:s?, s:s?, s:I, s:s, s:o*}", "code", code, "action",
			     dsr_actions[action].name, "to_user", req->to_user, "to_agency",
			     req->to_agency, "new_due", (json_int_t)req->new_due, "comment", comment,
			     "ext", rec_act_fields(req)),
		   request);
	int seen = 0;
	rc = st_begin(a->st, e);
	if (!rc && req->request_key)
		rc = app_reqkey_seen(a, by, req->request_key, request, was, &seen, e);
	if (!rc && seen) {
		/* Done before: nothing more to do, nothing written. */
		if (req->replayed)
			*req->replayed = 1;
		st_rollback(a->st);
	} else {
		if (!rc)
			rc = st_dossier_get(a->st, code, &d, e);
		if (!rc)
			rc = check_act_on(a, by, action, req, &d, e);
		if (!rc)
			rc = act_write(a, by, action, req, comment, request, now, &d, e);
		rc = st_end(a->st, rc, e);
	}
	free(comment);
	st_dossier_release(&d);
	return rc;
}

/* ---- read ---- */

static int history_one(void *ctx, const ev_event *ev)
{
	json_t *arr = ctx;
	json_t *p = json_loads(ev->payload, 0, NULL);
	json_t *h = json_pack("{s:I, s:s, s:s, s:s}", "seq", (json_int_t)ev->seq, "at", ev->at,
			      "actor", ev->actor, "kind", ev->kind);
	if (p) {
		/* LAW: DOMAIN.md "Satisfaction" (per dossier: level, comment,
		 * channel) and Decision 766/QĐ-TTg indicator 5.4: the rating
		 * (dossier.rated: level, channel) is part of the dossier's record
		 * and shown to staff on its timeline (issue 10 item 9). */
		const char *keys[] = { "action", "from", "to", "comment", "step_due", "to_user",
				       "to_agency", "level", "channel",
				       /* issue 10: who issued a notice, its items, the
					* apology, result, collection and fee records */
				       "issuer", "items", "apology", "result", "collection",
				       "fee",
				       /* issue 12: a file attached */
				       "file" };
		for (size_t i = 0; i < MC_ARRAY_LEN(keys); i++) {
			json_t *v = json_object_get(p, keys[i]);
			if (v)
				json_object_set(h, keys[i], v);
		}
		json_decref(p);
	}
	json_object_set_new(h, "hash", json_string(ev->hash));
	json_array_append_new(arr, h);
	return 0;
}

/*
 * Histories are built from events, which never change: the history of a
 * dossier at a given last_seq is the same forever. A small direct-mapped
 * cache per connection (so per server thread) spares re-parsing every
 * event's payload when the same dossier is opened again and again.
 */
#define HIST_SLOTS 256

typedef struct {
	char code[96];
	int64_t seq;
	json_t *h;
} hist_slot;

void app_hist_cache_free(app *a)
{
	hist_slot *c = a->hist_cache;
	if (!c)
		return;
	for (int i = 0; i < HIST_SLOTS; i++)
		json_decref(c[i].h);
	free(c);
	a->hist_cache = NULL;
}

static hist_slot *hist_slot_for(app *a, const char *code)
{
	if (!a->hist_cache)
		a->hist_cache = mc_xcalloc(HIST_SLOTS, sizeof(hist_slot));
	uint32_t h = 2166136261u;
	for (const char *p = code; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return &((hist_slot *)a->hist_cache)[h % HIST_SLOTS];
}

static int dossier_history(app *a, const char *code, int64_t last_seq, json_t **out, mc_err *e)
{
	hist_slot *s = hist_slot_for(a, code);
	if (s->h && s->seq == last_seq && strcmp(s->code, code) == 0) {
		*out = json_incref(s->h);
		return MC_OK;
	}
	json_t *h = json_array();
	int rc = ev_list_dossier(a->st, code, history_one, h, e);
	if (rc) {
		json_decref(h);
		return rc;
	}
	json_decref(s->h);
	snprintf(s->code, sizeof s->code, "%s", code);
	s->seq = last_seq;
	s->h = json_incref(h);
	*out = h;
	return MC_OK;
}

int app_dossier_get(app *a, const char *code, int history, mc_time now, json_t **out, mc_err *e)
{
	st_dossier d;
	if (!code || !*code || strlen(code) > 90)
		return mc_fail(e, MCE_DOSSIER_NOT_FOUND, "không có hồ sơ mã '%s'",
			       "unknown dossier '%s'", code ? code : "");
	int rc = st_dossier_get(a->st, code, &d, e);
	if (rc)
		return rc;
	json_t *j = dossier_json(a, &d, now);
	int64_t last_seq = d.last_seq;
	rc = rec_dossier_json(a, &d, now, j, e);
	mc_time recv = d.r.received_at, due = d.r.due_legal;
	char proc[sizeof d.procedure];
	snprintf(proc, sizeof proc, "%s", d.procedure);
	st_dossier_release(&d);
	if (rc) {
		json_decref(j);
		return rc;
	}
	if (history) {
		json_t *h = NULL;
		rc = dossier_history(a, code, last_seq, &h, e);
		if (!rc) {
			/* The commune's workflow steps, each with its own due time
			 * (local.c; issue 10, the commune's own procedure list). */
			json_object_set_new(j, "steps", app_local_steps(a, proc, recv, due, h, now));
			json_object_set_new(j, "history", h);
		}
	}
	if (rc) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return MC_OK;
}

typedef struct {
	app *a;
	mc_time now;
	json_t *items;
	int limit, n, by_due;
	mc_time last_t;
	char last_code[96];
} list_ctx;

static int list_one(void *p, const st_dossier *d)
{
	list_ctx *c = p;
	json_array_append_new(c->items, dossier_json(c->a, d, c->now));
	c->n++;
	if (c->n == c->limit) { /* the cursor points after the page's last item */
		c->last_t = c->by_due ? d->r.due_at : d->submitted_at;
		snprintf(c->last_code, sizeof c->last_code, "%s", d->code);
	}
	return 0;
}

int app_dossier_list(app *a, const app_list_req *req, mc_time now, json_t **out, mc_err *e)
{
	st_dossier_filter f = { .state = -1, .now = now };
	int limit = req->limit ? req->limit : 50;
	if (limit < 1 || limit > 500)
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "limit phải từ 1 đến 500",
			       "limit must be 1 to 500");
	if (req->status && *req->status) {
		if (strcmp(req->status, "open") == 0) {
			f.open_only = 1;
		} else {
			f.state = dsr_state_parse(req->status);
			if (f.state < 0)
				return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "không có trạng thái '%s'",
					       "unknown status '%s'", req->status);
		}
	}
	if (req->channel && *req->channel && st_channel_parse(req->channel) < 0)
		return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
			       "channel phải là direct, online hoặc postal",
			       "channel must be direct, online or postal");
	char *fq = NULL;
	if (req->q && *req->q) {
		if (strlen(req->q) > 200)
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "q dài quá 200 byte",
				       "q is longer than 200 bytes");
		fq = txt_fold(req->q);
		if (!fq)
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD,
				       "q không phải văn bản UTF-8 hợp lệ", "q is not valid UTF-8");
	}
	if (req->sort && *req->sort) {
		if (strcmp(req->sort, "due") == 0) {
			f.by_due = 1;
		} else if (strcmp(req->sort, "received") != 0) {
			free(fq);
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "sort phải là received hoặc due",
				       "sort must be received or due");
		}
	}
	/* Cursor: "<t>~<code>", with a leading 'd' for the due order so that a
	 * cursor cannot be read in the other order. */
	char cursor_code[96] = "";
	if (req->cursor && *req->cursor) {
		long long t;
		int used = 0;
		const char *cur = req->cursor + (f.by_due ? 1 : 0);
		if ((f.by_due && req->cursor[0] != 'd') || (!f.by_due && req->cursor[0] == 'd') ||
		    sscanf(cur, "%lld~%n", &t, &used) != 1 || used == 0 || strlen(cur + used) == 0 ||
		    strlen(cur + used) >= sizeof cursor_code) {
			free(fq);
			return mc_fail(e, MCE_DOSSIER_BAD_FIELD, "cursor không đúng định dạng",
				       "cursor is malformed");
		}
		snprintf(cursor_code, sizeof cursor_code, "%s", cur + used);
		f.after_code = cursor_code;
		f.after_t = t;
	}
	f.overdue = req->overdue;
	f.fold_q = fq;
	f.assignee = req->assignee && *req->assignee ? req->assignee : NULL;
	f.channel = req->channel && *req->channel ? req->channel : NULL;
	f.procedure = req->procedure && *req->procedure ? req->procedure : NULL;
	f.field = req->field && *req->field ? req->field : NULL;
	/* Scoped to this node's agency: dossiers transferred away stay readable
	 * by code but leave the lists. */
	f.agency = a->agency;
	f.received_from = req->received_from;
	f.received_to = req->received_to;
	f.due_before = req->due_before;
	f.limit = limit + 1; /* one more tells whether a next page exists */
	list_ctx c = { .a = a, .now = now, .items = json_array(), .limit = limit, .by_due = f.by_due };
	int rc = st_dossier_list(a->st, &f, list_one, &c, e);
	free(fq);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	json_t *next = json_null();
	if (c.n > limit) {
		json_array_remove(c.items, (size_t)limit);
		char cur[160];
		snprintf(cur, sizeof cur, "%s%lld~%s", c.by_due ? "d" : "", (long long)c.last_t,
			 c.last_code);
		json_decref(next);
		next = json_string(cur);
	}
	*out = json_pack("{s:o, s:o}", "items", c.items, "next_cursor", next);
	return MC_OK;
}

/* ---- a dossier delivered by the hub (docs/sync.md §7.3) ---- */

/* A time as dossier_json writes it ("YYYY-MM-DDTHH:MM:SS+07:00"), or null
 * for none. 0 on success. */
static int time_of(const json_t *v, mc_time *t)
{
	*t = 0;
	if (!v || json_is_null(v))
		return 0;
	const char *s = json_string_value(v);
	char local[20];
	mc_err ignored;
	if (!s || strlen(s) < 19)
		return -1;
	memcpy(local, s, 19);
	local[19] = 0;
	return cal_parse_datetime(local, t, &ignored) ? -1 : 0;
}

static char *str_of(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return mc_xstrdup(s ? s : "");
}

static int fixed_of(const json_t *o, const char *k, char *out, size_t size)
{
	const char *s = json_string_value(json_object_get(o, k));
	if (!s || strlen(s) >= size)
		return -1;
	snprintf(out, size, "%s", s);
	return 0;
}

/* The record events carry (dossier_json with no app and now 0), read back
 * into d. Refuses what the record would not be on a node that wrote it. */
static int dossier_from_json(const json_t *j, st_dossier *d, mc_err *e)
{
	memset(d, 0, sizeof *d);
	const json_t *ap = json_object_get(j, "applicant");
	const json_t *pt = json_object_get(j, "processing_time");
	const char *status = json_string_value(json_object_get(j, "status"));
	const char *resume = json_string_value(json_object_get(j, "resume_status"));
	const char *timely = json_string_value(json_object_get(j, "timeliness"));
	int bad = !json_is_object(j) || !json_is_object(ap) || !json_is_object(pt) || !status;
	bad = bad || fixed_of(j, "code", d->code, sizeof d->code) ||
	      fixed_of(j, "origin", d->origin, sizeof d->origin) ||
	      fixed_of(j, "procedure", d->procedure, sizeof d->procedure) ||
	      fixed_of(j, "channel", d->channel, sizeof d->channel) ||
	      fixed_of(j, "agency", d->r.agency, sizeof d->r.agency) ||
	      fixed_of(j, "assignee", d->r.assignee, sizeof d->r.assignee) ||
	      fixed_of(ap, "kind", d->kind, sizeof d->kind) ||
	      fixed_of(ap, "id_type", d->id_type, sizeof d->id_type);
	if (!bad && json_object_get(ap, "tax_code"))
		bad = fixed_of(ap, "tax_code", d->tax_code, sizeof d->tax_code);
	d->r.state = status ? dsr_state_parse(status) : -1;
	d->r.resume_state = resume ? dsr_state_parse(resume) : -1;
	d->r.time_unit = dl_unit_parse(json_string_value(json_object_get(pt, "unit")));
	d->r.time_amount = json_number_value(json_object_get(pt, "amount"));
	d->time_guessed = json_is_true(json_object_get(pt, "unit_guessed"));
	d->r.supplements = (int)json_integer_value(json_object_get(j, "supplements"));
	json_int_t sets = json_integer_value(json_object_get(j, "sets"));
	d->sets = sets >= 1 && sets <= 20 ? (int)sets : 1;
	d->r.supplements_processing =
		(int)json_integer_value(json_object_get(j, "supplements_processing"));
	d->r.timeliness = !timely                         ? 0
			  : strcmp(timely, "early") == 0   ? DL_EARLY
			  : strcmp(timely, "on_time") == 0 ? DL_ON_TIME
			  : strcmp(timely, "late") == 0    ? DL_LATE
							   : -1;
	bad = bad || d->r.state < 0 || (resume && d->r.resume_state < 0) || d->r.time_unit < 0 ||
	      d->r.timeliness < 0 || time_of(json_object_get(j, "submitted_at"), &d->submitted_at) ||
	      time_of(json_object_get(j, "received_at"), &d->r.received_at) ||
	      time_of(json_object_get(j, "due_at"), &d->r.due_at) ||
	      time_of(json_object_get(j, "due_legal"), &d->r.due_legal) ||
	      time_of(json_object_get(j, "paused_at"), &d->r.paused_at) ||
	      time_of(json_object_get(j, "apology_at"), &d->r.apology_at) ||
	      time_of(json_object_get(j, "finished_at"), &d->r.finished_at) ||
	      time_of(json_object_get(j, "returned_at"), &d->r.returned_at);
	d->name = str_of(ap, "name");
	d->id_number = str_of(ap, "id_number");
	d->phone = str_of(ap, "phone");
	d->email = str_of(ap, "email");
	d->address = str_of(ap, "address");
	d->org_name = str_of(ap, "org_name");
	d->representative = str_of(ap, "representative");
	d->summary = str_of(j, "summary");
	d->note = str_of(j, "note");
	d->collected_by = str_of(j, "collected_by");
	const json_t *c = json_object_get(j, "components");
	d->components = json_is_array(c) ? json_dumps(c, JSON_COMPACT) : mc_xstrdup("[]");
	if (bad || !d->components) {
		st_dossier_release(d);
		return mc_fail(e, MCE_INVALID, "hồ sơ được chuyển đến không đọc được",
			       "the transferred dossier's record cannot be read");
	}
	return MC_OK;
}

int app_dossier_in(app *a, const json_t *record, int submission, const char *from,
		   int64_t cursor, const char *hash, mc_time now, int64_t *seq, const char **why,
		   mc_err *e)
{
	*seq = 0;
	*why = NULL;
	st_dossier d;
	mc_err pe;
	if (dossier_from_json(record, &d, &pe)) {
		*why = "the dossier's record cannot be read";
		return MC_OK;
	}
	if (strcmp(d.r.agency, a->agency) != 0) {
		st_dossier_release(&d);
		*why = "the dossier is addressed to another agency";
		return MC_OK;
	}
	/* An online submission: its processing time is this commune's (its
	 * own list may differ from the province's); the clock starts when an
	 * officer accepts it. */
	if (submission && (d.r.state != DSR_SUBMITTED ||
			   st_procedure_time(a->st, d.procedure, st_channel_parse(d.channel),
					     &d.r.time_amount, &d.r.time_unit, &d.time_guessed,
					     NULL, 0, &pe) != MC_OK)) {
		st_dossier_release(&d);
		*why = "the procedure of the submission has no processing time in this commune's "
		       "catalog";
		return MC_OK;
	}
	st_dossier held;
	int rc = st_dossier_get(a->st, d.code, &held, e);
	int exists = rc == MC_OK;
	if (exists)
		st_dossier_release(&held);
	else if (rc != MC_ENOTFOUND) {
		st_dossier_release(&d);
		return rc;
	}
	d.updated_at = now;
	/* A transfer arrives in this agency's register with its own number. */
	rc = exists ? MC_OK : register_entry(a, &d, e);
	if (rc) {
		st_dossier_release(&d);
		return rc;
	}
	json_t *p = json_pack("{s:s, s:s, s:o, s:{s:I, s:s}}", "action",
			      submission ? "receive" : "transfer_in", "from", from, "dossier",
			      dossier_json(NULL, &d, 0), "published", "cursor", (json_int_t)cursor,
			      "hash", hash);
	if (submission)
		json_object_set_new(p, "to", json_string("submitted"));
	rc = ev_append(a->st, now, "hub", submission ? "dossier.received" : "dossier.transfer_in",
		       d.code, p, &d.last_seq, e);
	json_decref(p);
	if (!rc && exists) {
		rc = st_dossier_update(a->st, &d, e);
	} else if (!rc) {
		char *f = dossier_fold(&d);
		rc = st_dossier_insert(a->st, &d, f ? f : "", e);
		free(f);
	}
	if (!rc)
		*seq = d.last_seq;
	st_dossier_release(&d);
	return rc;
}

/* ---- an online submission received by the province's hub ---- */

int app_hub_submit(app *a, const app_actor *by, const char *agency, const app_receive_req *in,
		   mc_time now, char code[96], mc_err *e)
{
	if (!a->hub)
		return mc_fail(e, MCE_SYNC_NOT_HUB, "đây không phải máy chủ tỉnh",
			       "this node is not a hub");
	app_receive_req q = *in;
	q.channel = "online";
	q.pending = 1;
	q.received_at = 0;
	int rc = check_receive(by, &q, now, e);
	if (!rc && q.request_key)
		rc = app_reqkey_valid(q.request_key, e);
	if (!rc && (!agency || !app_agency_code_valid(agency)))
		rc = mc_fail(e, MCE_BAD_FIELD, "agency: mã xã nhận hồ sơ không hợp lệ",
			     "agency: not a commune's agency code");
	if (rc)
		return rc;
	if (q.replayed)
		*q.replayed = 0;
	st_dossier d;
	dossier_from_req(a, &q, now, now, &d);
	/* The hub issues the code (its own agency's serials never collide with
	 * a commune's); the commune chosen owns the dossier (docs/sync.md §7.3). */
	snprintf(d.r.agency, sizeof d.r.agency, "%s", agency);
	d.r.time_unit = DL_WORKING_DAYS; /* the commune sets its own when it takes it */
	char request[160];
	receive_request_id(&d, &q, request);
	int seen = 0, approved = 0;
	rc = st_begin(a->st, e);
	if (!rc && q.request_key) /* the hub holds no dossier row: the key's code is the answer */
		rc = app_reqkey_seen(a, by, q.request_key, request, d.code, &seen, e);
	if (!rc && seen) {
		if (q.replayed)
			*q.replayed = 1;
		st_rollback(a->st);
		snprintf(code, 96, "%s", d.code);
		st_dossier_release(&d);
		return MC_OK;
	}
	if (!rc)
		rc = st_hub_agency_approved(a->st, agency, &approved, e);
	if (!rc && !approved)
		rc = mc_fail(e, MCE_NOT_FOUND, "xã %s chưa kết nối với tỉnh (chưa có máy xã được duyệt)",
			     "commune %s has no approved node on this hub", agency);
	if (!rc)
		rc = make_code(a, now, d.code, e);
	json_t *rec = rc ? NULL : dossier_json(NULL, &d, 0);
	char *body = NULL, hash[65];
	if (rec) {
		json_t *b = json_pack("{s:O}", "dossier", rec);
		body = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(b);
	}
	if (!rc && !body)
		rc = mc_fail(e, MCE_INTERNAL, "không mã hoá được hồ sơ", "cannot encode the dossier");
	if (!rc) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h, (const unsigned char *)body, strlen(body));
		sodium_bin2hex(hash, sizeof hash, h, sizeof h);
		st_hub_item it = { .agency = agency, .stream = "submissions",
				   .kind = "dossier.received", .hash = hash, .body = body,
				   .actor = by->login, .at = now };
		rc = st_hub_outbox_put(a->st, &it, NULL, e);
	}
	if (!rc) {
		json_t *p = json_pack("{s:s, s:O}", "to", agency, "dossier", rec);
		rc = ev_append(a->st, now, by->login, "hub.submission", d.code, p, NULL, e);
		json_decref(p);
	}
	if (!rc)
		rc = app_hub_dossier_record(a, agency, rec, 0, NULL, e);
	if (!rc && q.request_key)
		rc = st_reqkey_put(a->st, by->login, q.request_key, request, d.code, now, e);
	rc = st_end(a->st, rc, e);
	if (!rc)
		snprintf(code, 96, "%s", d.code);
	json_decref(rec);
	free(body);
	st_dossier_release(&d);
	return rc;
}
