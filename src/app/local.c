/*
 * local.c - the commune's own procedure list (danh mục thủ tục hành chính của
 * xã), laid over the national catalog: per procedure, whether the commune
 * receives it, its processing time per channel, fee, handling unit and the
 * workflow steps with the share of time each gets. Each change is one
 * "procedure.local" event whose payload is the whole entry in canonical form
 * (DESIGN.md section 7), with a version and the decision it comes from, so a
 * hub can publish it as is. docs/overlay.md describes the model and the CSV.
 *
 * LAW: Decree 63/2010/NĐ-CP art. 15 and Decree 92/2017/NĐ-CP (publication of
 * procedures): the chairman of the provincial People's Committee publishes by
 * decision (Quyết định công bố danh mục TTHC) the list of procedures of each
 * level in the province, with their times, fees and the unit that handles
 * them; a commune receives the procedures of that list. Hence one entry per
 * procedure with its source decision, enabled or not.
 */
#include "app_int.h"

#include <math.h>

#include "core/txt.h"
#include "embedded.h"
#include "sb.h"
#include "store/ev.h"

static const char *const channels[3] = { "direct", "online", "postal" };

/* Workflow step kinds, in the order a dossier meets them. */
static const char *const step_kinds[] = { "reception", "specialist", "leader", "inter_agency",
					  "return" };
/* The action that ends each step on the timeline (reception: the
 * reception itself). */
static const char *const step_done_action[] = { "", "submit_approval", "approve", "transfer",
						"return" };

#define LOCAL_MAX_STEPS 12
#define LOCAL_MAX_FEE 1000000000000LL /* đồng */
#define LOCAL_MAX_ROWS 5000

static int kind_parse(const char *s)
{
	for (size_t i = 0; s && i < MC_ARRAY_LEN(step_kinds); i++)
		if (strcmp(s, step_kinds[i]) == 0)
			return (int)i;
	return -1;
}

static int bad(mc_err *e, const char *where, const char *vi, const char *en)
{
	return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s%s%.0s", "%s%.0s%s", where, vi, en);
}

/* ---- the entry: checking and its canonical JSON ---- */

/* A checked entry; strings point into the JSON it was read from. */
typedef struct {
	int enabled; /* 1, 0, -1 not decided */
	double t[3];
	int unit[3]; /* -1: the national entry's */
	int64_t fee; /* -1: not set */
	const char *handling_unit, *source;
	json_t *steps; /* borrowed: a checked array */
} entry;

static int check_time(json_t *v, const char *where, const char *ch, double *t, int *unit,
		      mc_err *e)
{
	char w[96];
	snprintf(w, sizeof w, "%stimes.%s", where, ch);
	*unit = -1;
	if (!v || json_is_null(v))
		return MC_OK;
	if (!json_is_object(v))
		return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s phải là {time, unit} hoặc null",
			       "%s must be {time, unit} or null", w);
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x) {
		if (strcmp(k, "time") != 0 && strcmp(k, "unit") != 0)
			return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s có trường không được chấp nhận '%s'",
				       "%s has unknown field '%s'", w, k);
	}
	json_t *u = json_object_get(v, "unit"), *tm = json_object_get(v, "time");
	int un = json_is_string(u) ? dl_unit_parse(json_string_value(u)) : -1;
	if (un < 0)
		return mc_fail(e, MCE_LOCAL_BAD_FIELD,
			       "%s.unit phải là working_days, working_hours, calendar_days hoặc same_day",
			       "%s.unit must be working_days, working_hours, calendar_days or same_day",
			       w);
	double amount = 1;
	if (tm && !json_is_null(tm)) {
		if (!json_is_number(tm))
			return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s.time phải là một số",
				       "%s.time must be a number", w);
		amount = json_number_value(tm);
	} else if (un != DL_SAME_DAY) {
		return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s.time là bắt buộc (trừ same_day)",
			       "%s.time is required (except with same_day)", w);
	}
	/* Positive and at most ten years, as dl_due takes (it checks again). */
	double max = un == DL_WORKING_HOURS ? 3650.0 * 8 : 3650.0;
	if (!(amount > 0) || amount > max)
		return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s.time phải lớn hơn 0 và không quá %g",
			       "%s.time must be above 0 and at most %g", w, max);
	*t = un == DL_SAME_DAY ? 1 : amount;
	*unit = un;
	return MC_OK;
}

static int check_steps(json_t *v, const char *where, mc_err *e)
{
	if (!v || json_is_null(v))
		return MC_OK;
	if (!json_is_array(v) || json_array_size(v) > LOCAL_MAX_STEPS)
		return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%ssteps phải là mảng tối đa %d bước",
			       "%ssteps must be an array of at most %d steps", where,
			       LOCAL_MAX_STEPS);
	size_t i;
	json_t *s;
	json_int_t sum = 0;
	json_array_foreach(v, i, s) {
		char w[96];
		snprintf(w, sizeof w, "%ssteps[%zu]", where, i);
		if (!json_is_object(s) || json_object_size(s) != 3)
			return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s phải là {name, kind, share}",
				       "%s must be {name, kind, share}", w);
		json_t *n = json_object_get(s, "name"), *k = json_object_get(s, "kind"),
		       *sh = json_object_get(s, "share");
		char f[112];
		snprintf(f, sizeof f, "%s.name", w);
		if (!json_is_string(n))
			return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s phải là chuỗi ký tự",
				       "%s must be a string", f);
		int rc = txt_check_field(f, json_string_value(n), 200, 1, 0, e);
		if (rc)
			return rc;
		if (kind_parse(json_string_value(k)) < 0)
			return mc_fail(e, MCE_LOCAL_BAD_FIELD,
				       "%s.kind phải là reception, specialist, leader, inter_agency hoặc return",
				       "%s.kind must be reception, specialist, leader, inter_agency or return",
				       w);
		if (!json_is_integer(sh) || json_integer_value(sh) < 1 || json_integer_value(sh) > 100)
			return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%s.share phải là số nguyên 1-100",
				       "%s.share must be a whole number 1-100", w);
		sum += json_integer_value(sh);
	}
	/* Each step gets its share of the whole processing time. */
	if (json_array_size(v) && sum != 100)
		return mc_fail(e, MCE_LOCAL_BAD_FIELD,
			       "%stổng tỉ lệ thời gian các bước phải là 100 (đang là %lld)",
			       "%sthe steps' shares must add up to 100, not %lld", where,
			       (long long)sum);
	return MC_OK;
}

/* Checks in (the API's object; where prefixes messages, e.g. "dòng 3: ").
 * OUT: *en, pointing into in. */
static int check_entry(json_t *in, const char *where, entry *en, mc_err *e)
{
	static const char *const keys[] = { "enabled", "times", "fee", "handling_unit", "steps",
					    "source", NULL };
	memset(en, 0, sizeof *en);
	en->enabled = -1;
	en->fee = -1;
	for (int c = 0; c < 3; c++)
		en->unit[c] = -1;
	if (!json_is_object(in))
		return bad(e, where, "nội dung phải là một đối tượng JSON", "the body must be an object");
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		int known = 0;
		for (int i = 0; keys[i]; i++)
			known |= strcmp(k, keys[i]) == 0;
		if (!known)
			return mc_fail(e, MCE_LOCAL_BAD_FIELD, "%scó trường không được chấp nhận '%s'",
				       "%sunknown field '%s'", where, k);
	}
	v = json_object_get(in, "enabled");
	if (v && !json_is_null(v) && !json_is_boolean(v))
		return bad(e, where, "enabled phải là true, false hoặc null",
			   "enabled must be true, false or null");
	en->enabled = json_is_boolean(v) ? json_is_true(v) : -1;
	v = json_object_get(in, "times");
	if (v && !json_is_null(v)) {
		if (!json_is_object(v))
			return bad(e, where, "times phải là một đối tượng", "times must be an object");
		json_t *x;
		json_object_foreach(v, k, x) {
			if (strcmp(k, "direct") && strcmp(k, "online") && strcmp(k, "postal"))
				return mc_fail(e, MCE_LOCAL_BAD_FIELD,
					       "%stimes chỉ có direct, online, postal, không có '%s'",
					       "%stimes has only direct, online, postal, not '%s'",
					       where, k);
		}
		for (int c = 0; c < 3; c++) {
			int rc = check_time(json_object_get(v, channels[c]), where, channels[c],
					    &en->t[c], &en->unit[c], e);
			if (rc)
				return rc;
		}
	}
	v = json_object_get(in, "fee");
	if (v && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > LOCAL_MAX_FEE)
			return bad(e, where, "fee phải là số nguyên đồng từ 0 đến 1.000.000.000.000",
				   "fee must be whole đồng from 0 to 1000000000000");
		en->fee = json_integer_value(v);
	}
	v = json_object_get(in, "handling_unit");
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(e, where, "handling_unit phải là chuỗi ký tự", "handling_unit must be a string");
	en->handling_unit = json_is_string(v) ? json_string_value(v) : "";
	int rc = txt_check_field("handling_unit", en->handling_unit, 300, 0, 0, e);
	if (rc)
		return rc;
	v = json_object_get(in, "steps");
	rc = check_steps(v, where, e);
	if (rc)
		return rc;
	en->steps = json_is_array(v) ? v : NULL;
	v = json_object_get(in, "source");
	if (!json_is_string(v) || !*json_string_value(v))
		return bad(e, where,
			   "source (căn cứ: số, ngày quyết định công bố hoặc văn bản pháp luật) là bắt buộc",
			   "source (the decision number and date, or the legal text) is required");
	en->source = json_string_value(v);
	return txt_check_field("source", en->source, 500, 1, 0, e);
}

static json_t *nfc_str(const char *s)
{
	char *n = txt_nfc(s ? s : "");
	json_t *j = json_string(n ? n : (s ? s : ""));
	free(n);
	return j;
}

static json_t *amount_json(double a)
{
	if (a == floor(a) && a < 1e9)
		return json_integer((json_int_t)a);
	return json_real(a);
}

/* The entry's canonical JSON: every field, fixed shape (the event payload). */
static json_t *entry_json(const char *agency, const char *code, int version, const entry *en)
{
	json_t *times = json_object();
	for (int c = 0; c < 3; c++)
		json_object_set_new(times, channels[c],
				    en->unit[c] < 0
					    ? json_null()
					    : json_pack("{s:o, s:s}", "time", amount_json(en->t[c]),
							"unit", dl_unit_name(en->unit[c])));
	json_t *steps = json_array();
	size_t i;
	json_t *s;
	if (en->steps)
		json_array_foreach(en->steps, i, s)
			json_array_append_new(
				steps, json_pack("{s:o, s:s, s:I}", "name",
						 nfc_str(json_string_value(json_object_get(s, "name"))),
						 "kind", json_string_value(json_object_get(s, "kind")),
						 "share", json_integer_value(json_object_get(s, "share"))));
	return json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "agency", agency, "code",
			 code, "version", version, "enabled",
			 en->enabled < 0 ? json_null() : json_boolean(en->enabled), "times", times,
			 "fee", en->fee < 0 ? json_null() : json_integer(en->fee), "handling_unit",
			 nfc_str(en->handling_unit), "steps", steps, "source", nfc_str(en->source));
}

/* Inside a transaction: writes en as code's next version with its event,
 * unless it says what the current version says. OUT: *changed (may be
 * NULL), *out (may be NULL: the stored entry, caller decrefs). */
static int entry_write(app *a, const app_actor *by, const char *code, const entry *en,
		       mc_time now, int *changed, json_t **out, mc_err *e)
{
	char *old = NULL;
	int version = 0;
	int rc = st_local_get(a->st, a->agency, code, &old, &version, e);
	if (rc && rc != MC_ENOTFOUND)
		return rc;
	json_t *j = entry_json(a->agency, code, version, en);
	char *same = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	int unchanged = old && same && strcmp(old, same) == 0;
	free(same);
	free(old);
	if (changed)
		*changed = !unchanged;
	rc = MC_OK;
	if (!unchanged) {
		json_object_set_new(j, "version", json_integer(version + 1));
		char *body = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		st_local l = {
			.agency = a->agency, .code = code, .version = version + 1,
			.enabled = en->enabled, .fee = en->fee, .handling_unit = en->handling_unit,
			.source = en->source, .updated_by = by->login, .updated_at = now,
			.body = body ? body : "{}",
		};
		for (int c = 0; c < 3; c++) {
			l.t[c] = en->t[c];
			l.unit[c] = en->unit[c];
		}
		rc = ev_append(a->st, now, by->login, "procedure.local", NULL, j, NULL, e);
		if (!rc)
			rc = st_local_put(a->st, &l, e);
		free(body);
	}
	if (!rc && out)
		*out = json_incref(j);
	json_decref(j);
	return rc;
}

static int admin_only(const app_actor *by, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE,
			       "chỉ quản trị hệ thống được sửa danh mục thủ tục hành chính của xã",
			       "only an administrator may change the commune's procedure list");
	return MC_OK;
}

static int known_code(app *a, const char *code, mc_err *e)
{
	char *body = NULL;
	if (!code || !*code || strlen(code) > 30 || !txt_utf8_valid(code, strlen(code)))
		return mc_fail(e, MCE_PROCEDURE_NOT_FOUND, "không có thủ tục mã '%s' trong danh mục",
			       "unknown procedure '%s'", "?");
	int rc = st_procedure_get(a->st, code, &body, e);
	free(body);
	return rc;
}

int app_local_set(app *a, const app_actor *by, const char *code, json_t *in, mc_time now,
		  json_t **out, mc_err *e)
{
	entry en;
	int rc = admin_only(by, e);
	if (!rc)
		rc = check_entry(in, "", &en, e);
	if (!rc)
		rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = known_code(a, code, e);
	if (!rc)
		rc = entry_write(a, by, code, &en, now, NULL, out, e);
	return st_end(a->st, rc, e);
}

/* ---- lists ---- */

static int list_one(void *ctx, const char *code, const char *name, const char *body)
{
	json_t *j = json_loads(body, 0, NULL);
	if (!j)
		return 0; /* written by entry_write: always JSON */
	json_object_set_new(j, "name", json_string(name));
	json_array_append_new(ctx, j);
	(void)code;
	return 0;
}

static int review_one(void *ctx, const st_review_row *r)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:b}", "code", r->code,
					     "name", r->name, "field", r->field, "enabled",
					     r->enabled < 0 ? json_null() : json_boolean(r->enabled),
					     "listed", r->listed, "no_time", r->no_time,
					     "unit_guessed", r->guessed));
	return 0;
}

int app_local_list(app *a, const app_actor *by, json_t **out, mc_err *e)
{
	int rc = admin_only(by, e);
	if (rc)
		return rc;
	json_t *items = json_array(), *review = json_array();
	rc = st_local_list(a->st, a->agency, list_one, items, e);
	if (!rc)
		rc = st_local_review(a->st, a->agency, review_one, review, e);
	if (rc) {
		json_decref(items);
		json_decref(review);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "items", items, "review", review);
	return MC_OK;
}

static int receivable_one(void *ctx, const char *code, const char *name, const char *field,
			  int64_t received)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:I}", "code", code, "name", name,
					     "field", field, "received", (json_int_t)received));
	return 0;
}

int app_local_receivable(app *a, const char *q, int limit, json_t **out, mc_err *e)
{
	if (q && strlen(q) > 200)
		return mc_fail(e, MCE_INVALID, "q dài quá 200 byte", "q is longer than 200 bytes");
	char *f = q && *q ? txt_fold(q) : NULL;
	json_t *items = json_array();
	int rc = st_local_receivable(a->st, a->agency, f, limit < 1 ? 50 : limit, receivable_one,
				     items, e);
	free(f);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return MC_OK;
}

int app_local_fee(app *a, const char *code, int64_t *dong, mc_err *e)
{
	char *body = NULL;
	int rc = st_local_get(a->st, a->agency, code, &body, NULL, e);
	if (rc)
		return rc;
	json_t *j = json_loads(body, 0, NULL), *f = json_object_get(j, "fee");
	free(body);
	rc = json_is_integer(f) ? MC_OK
				: mc_fail(e, MCE_NOT_FOUND, "xã chưa quy định phí cho thủ tục '%s'",
					  "no local fee for procedure '%s'", code);
	if (!rc)
		*dong = json_integer_value(f);
	json_decref(j);
	return rc;
}

int app_local_get(app *a, const char *code, json_t **out, mc_err *e)
{
	char *body = NULL;
	int rc = st_local_get(a->st, a->agency, code, &body, NULL, e);
	if (rc)
		return rc;
	*out = json_loads(body, 0, NULL);
	free(body);
	return *out ? MC_OK
		    : mc_fail(e, MCE_CORRUPT, "mục danh mục của xã '%s' bị hỏng",
			      "local entry '%s' is damaged", code);
}

/* ---- CSV (docs/overlay.md "CSV") ---- */

enum { C_CODE, C_NAME, C_ENABLED, C_DT, C_DU, C_OT, C_OU, C_PT, C_PU, C_FEE, C_HUNIT, C_STEPS,
       C_SOURCE, C_N };
static const char *const cols[C_N] = { "code", "name", "enabled", "direct_time", "direct_unit",
				       "online_time", "online_unit", "postal_time", "postal_unit",
				       "fee", "handling_unit", "steps", "source" };

/* csv_record's reader: on -1 the cells read so far are still in out[]. */
static int csv_cells(const char **p, const char *end, char **out, int max, int *n)
{
	const char *s = *p;
	*n = 0;
	for (;;) {
		sb cell;
		sb_init(&cell, 64 * 1024);
		if (s < end && *s == '"') {
			s++;
			for (;;) {
				if (s >= end) {
					sb_release(&cell);
					return -1;
				}
				if (*s == '"' && s + 1 < end && s[1] == '"') {
					sb_addn(&cell, "\"", 1);
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					sb_addn(&cell, s++, 1);
				}
			}
		} else {
			while (s < end && *s != ',' && *s != '\n' && *s != '\r')
				sb_addn(&cell, s++, 1);
		}
		if (*n == max || sb_err(&cell)) {
			sb_release(&cell);
			return -1;
		}
		out[(*n)++] = sb_take(&cell);
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == '\r')
			s++;
		if (s < end && *s == '\n')
			s++;
		else if (s < end)
			return -1; /* text after a closing quote */
		break;
	}
	*p = s;
	return 0;
}

/* Reads one CSV record (RFC 4180: quotes, "" inside quotes, CRLF or LF)
 * from *p; cells are copied into out[] (caller frees each). OUT: *n
 * cells. Returns 0, or -1 on an unterminated quote, text after a closing
 * quote or too many cells (then nothing is left for the caller to free). */
static int csv_record(const char **p, const char *end, char **out, int max, int *n)
{
	if (csv_cells(p, end, out, max, n) == 0)
		return 0;
	for (int i = 0; i < *n; i++)
		free(out[i]);
	*n = 0;
	return -1;
}

/* "Tiếp nhận:reception:10|Xử lý:specialist:60|...": name, kind, share. */
static int steps_parse(const char *s, const char *where, json_t **out, mc_err *e)
{
	*out = json_array();
	if (!*s)
		return MC_OK;
	char *copy = mc_xstrdup(s), *save = NULL;
	for (char *part = strtok_r(copy, "|", &save); part; part = strtok_r(NULL, "|", &save)) {
		char *c2 = strrchr(part, ':');
		char *c1 = c2 ? memrchr(part, ':', (size_t)(c2 - part)) : NULL;
		char *endp = NULL;
		long share = c2 ? strtol(c2 + 1, &endp, 10) : 0;
		if (!c1 || !endp || *endp || c2[1] == 0) {
			free(copy);
			return mc_fail(e, MCE_LOCAL_BAD_CSV,
				       "%scột steps viết dạng tên:loại:tỉ lệ|tên:loại:tỉ lệ, không phải '%.60s'",
				       "%sthe steps column is name:kind:share|..., not '%.60s'", where,
				       part);
		}
		*c1 = *c2 = 0;
		json_array_append_new(*out, json_pack("{s:s, s:s, s:I}", "name", part, "kind", c1 + 1,
						      "share", (json_int_t)share));
	}
	free(copy);
	return MC_OK;
}

/* The row's cells as the API's object; columns the header lacks keep the
 * current entry's value (cur, may be NULL). */
static int row_object(char **cell, const int *idx, json_t *cur, const char *where, json_t **out,
		      mc_err *e)
{
	json_t *o = json_object();
#define HAS(c) (idx[c] >= 0)
#define CELL(c) (cell[idx[c]])
#define KEEP(key) \
	json_object_set(o, key, cur && json_object_get(cur, key) ? json_object_get(cur, key) : json_null())
	if (HAS(C_ENABLED)) {
		const char *v = CELL(C_ENABLED);
		if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "có"))
			json_object_set_new(o, "enabled", json_true());
		else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "không"))
			json_object_set_new(o, "enabled", json_false());
		else if (!*v)
			json_object_set_new(o, "enabled", json_null());
		else {
			json_decref(o);
			return mc_fail(e, MCE_LOCAL_BAD_CSV, "%scột enabled là 1, 0 hoặc để trống",
				       "%sthe enabled column is 1, 0 or empty", where);
		}
	} else {
		KEEP("enabled");
	}
	json_t *times = json_object();
	json_t *ct = cur ? json_object_get(cur, "times") : NULL;
	for (int c = 0; c < 3; c++) {
		int ti = C_DT + 2 * c, ui = ti + 1;
		if (!HAS(ti) && !HAS(ui)) {
			json_t *k = ct ? json_object_get(ct, channels[c]) : NULL;
			json_object_set(times, channels[c], k ? k : json_null());
			continue;
		}
		const char *tv = HAS(ti) ? CELL(ti) : "", *uv = HAS(ui) ? CELL(ui) : "";
		if (!*tv && !*uv) {
			json_object_set_new(times, channels[c], json_null());
			continue;
		}
		char *endp = NULL;
		double t = *tv ? strtod(tv, &endp) : 0;
		if (*tv && (!endp || *endp)) {
			json_decref(times);
			json_decref(o);
			return mc_fail(e, MCE_LOCAL_BAD_CSV, "%scột %s phải là một số, không phải '%.40s'",
				       "%sthe %s column must be a number, not '%.40s'", where,
				       cols[ti], tv);
		}
		json_t *tj = json_pack("{s:s}", "unit", uv);
		if (*tv)
			json_object_set_new(tj, "time", json_real(t));
		json_object_set_new(times, channels[c], tj);
	}
	json_object_set_new(o, "times", times);
	if (HAS(C_FEE)) {
		const char *v = CELL(C_FEE);
		char digits[32];
		size_t n = 0;
		for (const char *q = v; *q && n + 1 < sizeof digits; q++)
			if (*q != '.' && *q != ' ')
				digits[n++] = *q; /* 1.000.000 as 1000000 */
		digits[n] = 0;
		char *endp = NULL;
		long long f = n ? strtoll(digits, &endp, 10) : -1;
		if (n && (!endp || *endp || strlen(v) > 24)) {
			json_decref(o);
			return mc_fail(e, MCE_LOCAL_BAD_CSV, "%scột fee là số đồng, không phải '%.40s'",
				       "%sthe fee column is whole đồng, not '%.40s'", where, v);
		}
		json_object_set_new(o, "fee", f < 0 ? json_null() : json_integer(f));
	} else {
		KEEP("fee");
	}
	if (HAS(C_HUNIT))
		json_object_set_new(o, "handling_unit", json_string(CELL(C_HUNIT)));
	else
		KEEP("handling_unit");
	if (HAS(C_STEPS)) {
		json_t *sj = NULL;
		int rc = steps_parse(CELL(C_STEPS), where, &sj, e);
		if (rc) {
			json_decref(sj);
			json_decref(o);
			return rc;
		}
		json_object_set_new(o, "steps", sj);
	} else {
		KEEP("steps");
	}
	json_object_set_new(o, "source", json_string(CELL(C_SOURCE)));
#undef HAS
#undef CELL
#undef KEEP
	*out = o;
	return MC_OK;
}

/* The header's column of each of cols[] (-1 if absent). */
static int csv_header(char **cell, int n, int *idx, mc_err *e)
{
	for (int c = 0; c < C_N; c++)
		idx[c] = -1;
	for (int i = 0; i < n; i++) {
		int found = -1;
		for (int c = 0; c < C_N; c++)
			if (strcmp(cell[i], cols[c]) == 0)
				found = c;
		if (found < 0 || idx[found] >= 0)
			return mc_fail(e, MCE_LOCAL_BAD_CSV,
				       "dòng 1: cột '%.40s' không có trong định dạng hoặc bị lặp (xem docs/overlay.md)",
				       "line 1: column '%.40s' is unknown or repeated (see docs/overlay.md)",
				       cell[i]);
		idx[found] = i;
	}
	if (idx[C_CODE] < 0 || idx[C_SOURCE] < 0)
		return mc_fail(e, MCE_LOCAL_BAD_CSV, "dòng 1: thiếu cột code hoặc source",
			       "line 1: the code and source columns are required");
	return MC_OK;
}

typedef struct {
	int total, changed, unchanged, skipped;
} csv_stats;

static void cells_free(char **cell, int n)
{
	for (int i = 0; i < n; i++)
		free(cell[i]);
}

/* One data row. only_new: skip codes that have an entry, and codes the
 * catalog lacks (the shipped file); otherwise both are applied or refused. */
static int csv_row(app *a, const app_actor *by, char **cell, int n, const int *idx, int line,
		   int only_new, mc_time now, csv_stats *cs, mc_err *e)
{
	char where[32];
	snprintf(where, sizeof where, "dòng %d: ", line);
	int ncols = 0;
	for (int c = 0; c < C_N; c++)
		ncols += idx[c] >= 0;
	if (n != ncols)
		return mc_fail(e, MCE_LOCAL_BAD_CSV, "dòng %d: có %d cột, tiêu đề có %d",
			       "line %d: %d cells, the header has %d", line, n, ncols);
	const char *code = cell[idx[C_CODE]];
	char *curtext = NULL;
	int rc = st_local_get(a->st, a->agency, code, &curtext, NULL, e);
	if (rc && rc != MC_ENOTFOUND)
		return rc;
	if (only_new && (!rc || known_code(a, code, e))) {
		free(curtext);
		cs->skipped++;
		return MC_OK;
	}
	rc = known_code(a, code, e);
	json_t *cur = curtext ? json_loads(curtext, 0, NULL) : NULL, *o = NULL;
	free(curtext);
	if (rc) {
		json_decref(cur);
		return mc_fail(e, MCE_LOCAL_BAD_CSV, "dòng %d: không có thủ tục mã '%.40s' trong danh mục",
			       "line %d: unknown procedure '%.40s'", line, code);
	}
	rc = row_object(cell, idx, cur, where, &o, e);
	json_decref(cur);
	entry en;
	if (!rc)
		rc = check_entry(o, where, &en, e);
	int changed = 0;
	if (!rc)
		rc = entry_write(a, by, code, &en, now, &changed, NULL, e);
	json_decref(o);
	if (!rc) {
		cs->total++;
		if (changed)
			cs->changed++;
		else
			cs->unchanged++;
	}
	return rc;
}

/* Inside a transaction: applies a whole CSV text. */
static int csv_apply(app *a, const app_actor *by, const char *text, size_t len, int only_new,
		     mc_time now, csv_stats *cs, mc_err *e)
{
	memset(cs, 0, sizeof *cs);
	if (!txt_utf8_valid(text, len) || memchr(text, 0, len))
		return mc_fail(e, MCE_LOCAL_BAD_CSV, "tệp không phải văn bản UTF-8 hợp lệ",
			       "the file is not valid UTF-8 text");
	const char *p = text, *end = text + len;
	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3; /* a spreadsheet's byte order mark */
	char *cell[C_N + 1];
	int n = 0, idx[C_N], line = 1;
	if (csv_record(&p, end, cell, C_N, &n))
		return mc_fail(e, MCE_LOCAL_BAD_CSV, "dòng 1: tiêu đề không đọc được",
			       "line 1: the header cannot be read");
	int rc = csv_header(cell, n, idx, e);
	cells_free(cell, n);
	while (!rc && p < end) {
		line++;
		if (*p == '\n' || *p == '\r') { /* blank line */
			p += *p == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
			continue;
		}
		if (line > LOCAL_MAX_ROWS + 1)
			return mc_fail(e, MCE_LOCAL_BAD_CSV, "tệp có hơn %d dòng", "more than %d rows",
				       LOCAL_MAX_ROWS);
		if (csv_record(&p, end, cell, C_N, &n))
			return mc_fail(e, MCE_LOCAL_BAD_CSV,
				       "dòng %d: dấu ngoặc kép không đóng hoặc quá nhiều cột",
				       "line %d: an unclosed quote or too many cells", line);
		rc = csv_row(a, by, cell, n, idx, line, only_new, now, cs, e);
		cells_free(cell, n);
	}
	if (!rc && !only_new && cs->total == 0)
		rc = mc_fail(e, MCE_LOCAL_BAD_CSV, "tệp không có dòng dữ liệu nào",
			     "the file has no data rows");
	return rc;
}

int app_local_apply(app *a, const app_actor *by, const char *text, size_t len, mc_time now,
		    int *changed, mc_err *e)
{
	csv_stats cs;
	int rc = csv_apply(a, by, text, len, 0, now, &cs, e);
	if (!rc && changed)
		*changed = cs.changed;
	return rc;
}

int app_local_import(app *a, const app_actor *by, const char *text, size_t len, mc_time now,
		     json_t **out, mc_err *e)
{
	int rc = admin_only(by, e);
	if (!rc)
		rc = st_begin(a->st, e);
	if (rc)
		return rc;
	csv_stats cs;
	rc = csv_apply(a, by, text, len, 0, now, &cs, e);
	rc = st_end(a->st, rc, e);
	if (!rc)
		*out = json_pack("{s:i, s:i, s:i}", "total", cs.total, "changed", cs.changed,
				 "unchanged", cs.unchanged);
	return rc;
}

/* LAW: Decree 23/2015/NĐ-CP art. 7(4) (chứng thực: the same day, the next
 * working day after 15:00) and art. 37 (transactions: 2 working days); Law
 * on Civil Status 2014 art. 64 (bản sao trích lục); Decree 168/2025/NĐ-CP
 * (hộ kinh doanh: 3 working days): each row of the shipped file names its
 * source; docs/overlay.md lists them and what is left unset. */
int app_local_ship(app *a, const app_actor *by, mc_time now, int *applied, mc_err *e)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++) {
		if (strcmp(f->name, "commune-times.csv") != 0)
			continue;
		csv_stats cs;
		int rc = csv_apply(a, by, (const char *)f->data, f->size, 1, now, &cs, e);
		if (!rc && applied)
			*applied = cs.changed;
		return rc;
	}
	return mc_fail(e, MCE_INTERNAL, "bản cài đặt này thiếu tệp commune-times.csv",
		       "commune-times.csv is missing from this build");
}

/* A CSV cell: quoted when it holds a comma, quote or line break. */
static void csv_cell(sb *s, const char *v, int last)
{
	if (strpbrk(v, ",\"\r\n")) {
		sb_add(s, "\"");
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				sb_add(s, "\"\"");
			else
				sb_addn(s, p, 1);
		}
		sb_add(s, "\"");
	} else {
		sb_add(s, v);
	}
	sb_add(s, last ? "\r\n" : ",");
}

static int export_one(void *ctx, const char *code, const char *name, const char *body)
{
	sb *s = ctx;
	json_t *j = json_loads(body, 0, NULL);
	if (!j)
		return 0;
	json_t *en = json_object_get(j, "enabled"), *times = json_object_get(j, "times");
	csv_cell(s, code, 0);
	csv_cell(s, name, 0);
	csv_cell(s, json_is_boolean(en) ? (json_is_true(en) ? "1" : "0") : "", 0);
	for (int c = 0; c < 3; c++) {
		json_t *t = json_object_get(times, channels[c]);
		char buf[32] = "";
		if (json_is_object(t))
			snprintf(buf, sizeof buf, "%g", json_number_value(json_object_get(t, "time")));
		csv_cell(s, buf, 0);
		csv_cell(s, json_is_object(t) ? json_string_value(json_object_get(t, "unit")) : "", 0);
	}
	char fee[32] = "";
	if (json_is_integer(json_object_get(j, "fee")))
		snprintf(fee, sizeof fee, "%lld", (long long)json_integer_value(json_object_get(j, "fee")));
	csv_cell(s, fee, 0);
	csv_cell(s, json_string_value(json_object_get(j, "handling_unit")), 0);
	sb steps;
	sb_init(&steps, 16 * 1024);
	size_t i;
	json_t *sj;
	json_array_foreach(json_object_get(j, "steps"), i, sj)
		sb_addf(&steps, "%s%s:%s:%lld", i ? "|" : "",
			json_string_value(json_object_get(sj, "name")),
			json_string_value(json_object_get(sj, "kind")),
			(long long)json_integer_value(json_object_get(sj, "share")));
	csv_cell(s, sb_str(&steps), 0);
	sb_release(&steps);
	csv_cell(s, json_string_value(json_object_get(j, "source")), 1);
	json_decref(j);
	return 0;
}

int app_local_export(app *a, const app_actor *by, char **csv, mc_err *e)
{
	int rc = admin_only(by, e);
	if (rc)
		return rc;
	sb s;
	sb_init(&s, 64 << 20);
	for (int c = 0; c < C_N; c++)
		csv_cell(&s, cols[c], c == C_N - 1);
	rc = st_local_list(a->st, a->agency, export_one, &s, e);
	if (!rc && sb_err(&s))
		rc = mc_fail(e, MCE_INTERNAL, "danh mục quá lớn để xuất", "the list is too large to export");
	if (rc) {
		sb_release(&s);
		return rc;
	}
	*csv = sb_take(&s);
	return MC_OK;
}

/* ---- per-step due times on a dossier ---- */

/* "2026-03-02T08:15:00+07:00" as an instant (0 if not that shape). */
static mc_time iso_time(json_t *v)
{
	const char *s = json_string_value(v);
	char buf[17];
	mc_time t = 0;
	mc_err ig;
	if (!s || strlen(s) < 16)
		return 0;
	memcpy(buf, s, 16);
	buf[16] = 0;
	buf[10] = ' ';
	return cal_parse_datetime(buf, &t, &ig) ? 0 : t;
}

/* When the step of kind k ended, from the dossier's history: the last
 * event of its action (a dossier sent back is submitted again). */
static mc_time step_done(int k, json_t *history, mc_time received)
{
	if (k == 0)
		return received;
	mc_time t = 0;
	size_t i;
	json_t *ev;
	json_array_foreach(history, i, ev) {
		const char *act = json_string_value(json_object_get(ev, "action"));
		if (act && strcmp(act, step_done_action[k]) == 0)
			t = iso_time(json_object_get(ev, "at"));
	}
	return t;
}

/* LAW: Circular 03/2025/TT-VPCP form 6 (the process-control sheet): one row
 * per hand-over with that step's result; each step gets its share of the
 * processing time and so its own due time. */
json_t *app_local_steps(app *a, const char *procedure, mc_time received, mc_time due,
			json_t *history, mc_time now)
{
	json_t *out = json_array();
	char *body = NULL;
	mc_err ig;
	if (!received || !due || st_local_get(a->st, a->agency, procedure, &body, NULL, &ig))
		return out;
	json_t *j = json_loads(body, 0, NULL), *steps = json_object_get(j, "steps");
	free(body);
	int64_t total = dl_working_secs(&a->sched, &a->hours, received, due);
	json_int_t cum = 0;
	size_t i, n = json_array_size(steps);
	json_t *s;
	json_array_foreach(steps, i, s) {
		cum += json_integer_value(json_object_get(s, "share"));
		/* Each step ends when its share of the working time from
		 * reception has run; the last one at the dossier's due time. */
		mc_time sd = due;
		if (i + 1 < n && dl_add_working(&a->sched, &a->hours, received, total * cum / 100, &sd,
						&ig))
			sd = due;
		int k = kind_parse(json_string_value(json_object_get(s, "kind")));
		mc_time done = k >= 0 ? step_done(k, history, received) : 0;
		int tl = done ? dl_timeliness(done, sd) : now > sd ? DL_LATE : 0;
		json_array_append_new(
			out, json_pack("{s:O, s:O, s:O, s:o, s:o, s:o, s:o}", "name",
				       json_object_get(s, "name"), "kind", json_object_get(s, "kind"),
				       "share", json_object_get(s, "share"), "due_at", app_json_time(sd),
				       "done_at", app_json_time(done), "timeliness",
				       tl ? json_string(dl_timeliness_name(tl)) : json_null(),
				       "timeliness_label",
				       tl ? json_string(dl_timeliness_label_vi(tl)) : json_null()));
	}
	json_decref(j);
	return out;
}
