/*
 * tasks.c - tasks (giao việc, issue 14): assignment from a directive, the
 * actions of the two sides, history, lists and the leader's board; on a
 * hub, province tasks for communes (their assignments, the reviews sent
 * down) and the communes' progress applied from their pushed events. See
 * tasks.h, tasks_int.h and docs/tasks.md.
 *
 * A task is handled as its JSON record, the form events carry
 * (self-contained, times as ISO 8601 +07:00), converted from and to the
 * row at the store's edge.
 */
#include "app/tasks.h"

#include <sodium.h>

#include "app/attach.h"
#include "app/tasks_int.h"
#include "app/units.h"
#include "core/task.h"
#include "core/txt.h"
#include "sb.h"
#include "store/ev.h"
#include "store/st_notify.h"
#include "store/st_sync.h"
#include "store/st_task.h"

/* ---- small helpers ---- */

static const char *sget(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* An ISO time as app_json_time writes it, or 0 (null, absent, not one). */
static mc_time iso_in(const json_t *v)
{
	return app_iso_time(json_string_value(v));
}

static mc_time tget(const json_t *o, const char *k)
{
	return iso_in(json_object_get(o, k));
}

static void tset(json_t *o, const char *k, mc_time t)
{
	json_object_set_new(o, k, app_json_time(t));
}

static json_t *json_or(const char *text, json_t *fallback)
{
	json_error_t je;
	json_t *v = text && *text ? json_loads(text, 0, &je) : NULL;
	if (v) {
		json_decref(fallback);
		return v;
	}
	return fallback;
}

static int in_list(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

static void sha256_hex(const char *s, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* e set to id with the two messages given whole (they differ in their
 * arguments, which one pair of formats cannot say). */
static int fail2(mc_err *e, int id, const char *vi, const char *en)
{
	int rc = mc_fail(e, id, "%s", "%s", vi);
	if (e)
		snprintf(e->msg, sizeof e->msg, "%s", en);
	return rc;
}

/* Whether s holds nothing but spaces (a reason of spaces is none). */
static int blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return !*s;
}

/* jansson's iteration and update take no const. */
static json_t *unconst(const json_t *v)
{
	json_t *m;
	memcpy(&m, &v, sizeof m);
	return m;
}

static int bad(mc_err *e, const char *vi, const char *en)
{
	return fail2(e, MCE_TASK_BAD_FIELD, vi, en);
}

/* ---- the record and the row ---- */

/* The record of a row (the form events carry). */
static json_t *rec_of_row(const st_task *t)
{
	json_t *rec = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:o}, s:s, s:s, s:o, s:s, s:s, s:o, "
		"s:o, s:o, s:s, s:i, s:o, s:o, s:s, s:o, s:s, s:s, s:s, s:b, s:o, s:o}",
		"id", t->id, "agency", t->agency, "assigner", t->assigner, "origin", t->origin,
		"title", t->title, "content", t->content, "source", "kind", t->source_kind, "ref",
		t->source_ref, "date", *t->source_date ? json_string(t->source_date) : json_null(),
		"unit", t->unit, "officer", t->officer, "coworkers", json_or(t->coworkers, json_array()),
		"creator", t->creator, "creator_name", t->creator_name, "assigned_at",
		app_json_time(t->assigned_at), "deadline", json_or(t->deadline, json_object()),
		"due_at", app_json_time(t->due_at), "state", t->state, "percent", t->percent,
		"done_at", app_json_time(t->done_at), "closed_at", app_json_time(t->closed_at),
		"reason", t->reason, "recurrence",
		*t->recur ? json_pack("{s:s, s:i}", "every", t->recur, "day", t->recur_day)
			  : json_null(),
		"series", t->series, "period", t->period, "nominal", t->nominal, "shared",
		t->shared, "attachments", json_or(t->attachments, json_array()), "communes",
		json_or(t->communes, json_array()));
	return rec;
}

typedef struct {
	char *coworkers, *deadline, *attachments, *communes;
} rowbuf;

static void rowbuf_release(rowbuf *b)
{
	free(b->coworkers);
	free(b->deadline);
	free(b->attachments);
	free(b->communes);
	memset(b, 0, sizeof *b);
}

static int str_array(const json_t *v, size_t max)
{
	if (!json_is_array(v) || json_array_size(v) > max)
		return 0;
	size_t i;
	const json_t *x;
	json_array_foreach(v, i, x)
		if (!json_is_string(x))
			return 0;
	return 1;
}

/* The row of a record, checked as far as the row needs (types, states,
 * times): a hub applies records that commune nodes wrote. Strings borrow
 * from r; b holds the JSON texts (rowbuf_release). */
static int row_of_rec(const json_t *r, st_task *t, rowbuf *b, mc_err *e)
{
	memset(t, 0, sizeof *t);
	memset(b, 0, sizeof *b);
	const json_t *src = json_object_get(r, "source"), *rec = json_object_get(r, "recurrence");
	const json_t *pc = json_object_get(r, "percent");
	t->id = sget(r, "id");
	t->agency = sget(r, "agency");
	t->assigner = sget(r, "assigner");
	t->origin = sget(r, "origin");
	t->title = sget(r, "title");
	t->content = sget(r, "content");
	t->source_kind = sget(src, "kind");
	t->source_ref = sget(src, "ref");
	t->source_date = sget(src, "date");
	t->unit = sget(r, "unit");
	t->officer = sget(r, "officer");
	t->creator = sget(r, "creator");
	t->creator_name = sget(r, "creator_name");
	t->assigned_at = tget(r, "assigned_at");
	t->due_at = tget(r, "due_at");
	t->state = sget(r, "state");
	t->percent = (int)json_integer_value(pc);
	t->done_at = tget(r, "done_at");
	t->closed_at = tget(r, "closed_at");
	t->reason = sget(r, "reason");
	t->recur = sget(rec, "every");
	t->recur_day = (int)json_integer_value(json_object_get(rec, "day"));
	t->series = sget(r, "series");
	t->period = sget(r, "period");
	t->nominal = sget(r, "nominal");
	t->shared = json_is_true(json_object_get(r, "shared"));
	if (!*t->id || strlen(t->id) > 96 || !*t->agency || !*t->assigner || !*t->title ||
	    !*t->source_ref || !*t->creator || !t->assigned_at ||
	    task_state_parse(t->state) < 0 || !json_is_integer(pc) || t->percent < 0 ||
	    t->percent > 100 || task_recur_parse(t->recur) < 0 ||
	    !json_is_object(json_object_get(r, "deadline")) ||
	    !str_array(json_object_get(r, "coworkers"), APP_TASK_COWORKERS_MAX) ||
	    !json_is_array(json_object_get(r, "attachments")) ||
	    !str_array(json_object_get(r, "communes"), APP_TASK_COMMUNES_MAX) ||
	    (strcmp(t->origin, "local") && strcmp(t->origin, "hub") && strcmp(t->origin, "commune")) ||
	    (strcmp(t->source_kind, "document") && strcmp(t->source_kind, "meeting") &&
	     strcmp(t->source_kind, "person")))
		return bad(e, "bản ghi nhiệm vụ không đầy đủ hoặc sai kiểu",
			   "the task record is incomplete or has a wrong type");
	b->coworkers = json_dumps(json_object_get(r, "coworkers"), JSON_COMPACT);
	b->deadline = json_dumps(json_object_get(r, "deadline"), JSON_COMPACT | JSON_SORT_KEYS);
	b->attachments = json_dumps(json_object_get(r, "attachments"), JSON_COMPACT | JSON_SORT_KEYS);
	b->communes = json_dumps(json_object_get(r, "communes"), JSON_COMPACT);
	t->coworkers = b->coworkers;
	t->deadline = b->deadline;
	t->attachments = b->attachments;
	t->communes = b->communes;
	return MC_OK;
}

/* Writes record r (its row) as written by event seq at now. */
static int rec_put(app *a, json_t *r, int64_t seq, mc_time now, mc_err *e)
{
	st_task t;
	rowbuf b;
	int rc = row_of_rec(r, &t, &b, e);
	t.updated_at = now;
	t.last_seq = seq;
	if (!rc)
		rc = st_task_put(a->st, &t, e);
	rowbuf_release(&b);
	return rc;
}

static int rec_one(void *ctx, const st_task *t)
{
	*(json_t **)ctx = rec_of_row(t);
	return 0;
}

/* The record of task id. MCE_TASK_NOT_FOUND if none. OUT: *out. */
static int rec_load(app *a, const char *id, json_t **out, mc_err *e)
{
	*out = NULL;
	int rc = st_task_get(a->st, id, rec_one, out, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_TASK_NOT_FOUND, "không có nhiệm vụ '%.100s'",
			       "no task '%.100s'", id);
	if (!rc && !*out)
		return mc_fail(e, MCE_INTERNAL, "không đọc được nhiệm vụ", "cannot read the task");
	return rc;
}

/* A history row of the record r's task. */
static int log_put(app *a, const char *task, const char *commune, const char *agency,
		   int64_t seq, mc_time at, const char *actor, const char *actor_name,
		   const char *action, const char *from, const char *to, int percent,
		   const char *text, const json_t *att, const char *note, mc_err *e)
{
	char *atts = att ? json_dumps(att, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	st_task_log l = { .task = task, .commune = commune, .agency = agency, .seq = seq, .at = at,
			  .actor = actor, .actor_name = actor_name, .action = action,
			  .from_state = from, .to_state = to, .percent = percent, .text = text,
			  .attachments = atts ? atts : "[]", .note = note };
	int rc = st_task_log_put(a->st, &l, e);
	free(atts);
	return rc;
}

/* ---- who is on which side ---- */

static int leaderish(int role)
{
	return role == ROLE_LEADER || role == ROLE_ADMIN;
}

/* Whether the record is a province task for communes (on the hub that
 * made it). */
static int for_communes(const json_t *r)
{
	return json_array_size(json_object_get(r, "communes")) > 0;
}

/* The sides by is on for record r held by this node (docs/tasks.md
 * "Sides"). A copy held elsewhere (a commune's shared task on a hub) has
 * none here. */
static unsigned sides_of(app *a, const app_actor *by, const json_t *r)
{
	if (by->role == ROLE_SUPERVISOR || strcmp(sget(r, "agency"), a->agency) != 0)
		return 0;
	unsigned s = 0;
	/* A province task's assigner is the province: on the commune's node
	 * nobody reviews it (the reviews come down from the hub). */
	if (strcmp(sget(r, "origin"), "local") == 0 &&
	    (strcmp(sget(r, "creator"), by->login) == 0 || leaderish(by->role)))
		s |= TASK_SIDE_ASSIGNER;
	if (for_communes(r))
		return s; /* the communes do the work */
	if (strcmp(sget(r, "officer"), by->login) == 0 ||
	    in_list(json_object_get(r, "coworkers"), by->login) ||
	    (by->unit[0] && strcmp(sget(r, "unit"), by->unit) == 0) || by->role == ROLE_LEADER)
		s |= TASK_SIDE_ASSIGNEE;
	if (by->role == ROLE_LEADER)
		s |= TASK_SIDE_LEADER;
	return s;
}

/* Whether by may see record r: leaders, admins and supervisors see every
 * task; the others those they created, hold (officer, co-worker) or their
 * unit holds. */
static int may_see(const app_actor *by, const json_t *r)
{
	if (leaderish(by->role) || by->role == ROLE_SUPERVISOR)
		return 1;
	return strcmp(sget(r, "creator"), by->login) == 0 ||
	       strcmp(sget(r, "officer"), by->login) == 0 ||
	       in_list(json_object_get(r, "coworkers"), by->login) ||
	       (by->unit[0] && strcmp(sget(r, "unit"), by->unit) == 0);
}

/* ---- checking what a request carries ---- */

/* Refuses a key of o not in allowed (NULL-ended), naming it prefix.key. */
static int only_keys(const json_t *o, const char *prefix, const char *const *allowed, mc_err *e)
{
	const char *k;
	json_t *v;
	json_object_foreach(unconst(o), k, v)
	{
		int ok = 0;
		for (const char *const *p = allowed; *p; p++)
			ok |= strcmp(*p, k) == 0;
		if (!ok)
			return mc_fail(e, MCE_UNKNOWN_FIELD, "trường '%s%.60s' không được chấp nhận",
				       "unknown field '%s%.60s'", prefix, k);
	}
	return MC_OK;
}

/* A text field: absent or null is "" (required: MCE_TEXT_REQUIRED via
 * txt_check_field); another type MCE_BAD_FIELD. OUT: *out. */
static int text_field(const json_t *o, const char *name, const char *key, size_t max,
		      int required, int multiline, const char **out, mc_err *e)
{
	const json_t *v = json_object_get(o, key);
	*out = "";
	if (v && !json_is_null(v) && !json_is_string(v))
		return mc_fail(e, MCE_BAD_FIELD, "%s phải là chuỗi", "%s must be a string", name);
	if (json_is_string(v)) {
		*out = json_string_value(v);
		if (strlen(*out) != json_string_length(v))
			return mc_fail(e, MCE_BAD_FIELD, "%s có ký tự NUL", "%s contains a NUL",
				       name);
	}
	return txt_check_field(name, *out, max, required, multiline, e);
}

/* An active officer of this node (not a supervisor, who changes
 * nothing). OUT: name (256 bytes, may be NULL). */
static int officer_check(app *a, const char *field, const char *login, char *name, mc_err *e)
{
	st_user u;
	mc_err ig;
	if (!*login || strlen(login) >= sizeof u.login ||
	    st_user_get(a->st, login, &u, &ig) != MC_OK || u.disabled ||
	    strcmp(u.agency, a->agency) != 0 || u.role == ROLE_SUPERVISOR)
		return mc_fail(e, MCE_TASK_UNKNOWN_OFFICER,
			       "%s: không có cán bộ '%.64s' đang làm việc tại đơn vị này",
			       "%s: no active officer '%.64s' here", field, login);
	if (name)
		snprintf(name, 256, "%s", u.name);
	return MC_OK;
}

/* unit, officer, coworkers of in (keys "unit", "officer", "coworkers"):
 * the unit known and active, the officers active here, the co-workers
 * distinct and not the officer. OUT: *unit, *officer (borrowed from in),
 * *coworkers (new array). */
static int owner_check(app *a, const json_t *in, int unit_required, const char **unit,
		       const char **officer, json_t **coworkers, mc_err *e)
{
	*coworkers = NULL;
	int rc = text_field(in, "unit", "unit", 31, unit_required, 0, unit, e);
	if (!rc)
		rc = text_field(in, "officer", "officer", 63, 0, 0, officer, e);
	if (rc)
		return rc;
	if (**unit) {
		app_unit un;
		rc = app_unit_get(a, *unit, &un, e);
		if (rc)
			return rc;
	}
	if (**officer && (rc = officer_check(a, "officer", *officer, NULL, e)))
		return rc;
	const json_t *cw = json_object_get(in, "coworkers");
	if (cw && !json_is_null(cw) && !json_is_array(cw))
		return mc_fail(e, MCE_BAD_FIELD, "coworkers phải là mảng tên đăng nhập",
			       "coworkers must be an array of logins");
	if (json_array_size(cw) > APP_TASK_COWORKERS_MAX)
		return mc_fail(e, MCE_BAD_FIELD, "coworkers có nhiều nhất %d người",
			       "coworkers takes at most %d officers", APP_TASK_COWORKERS_MAX);
	json_t *out = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(cw, i, v)
	{
		const char *l = json_string_value(v);
		if (!l) {
			rc = mc_fail(e, MCE_BAD_FIELD, "coworkers[%zu] phải là tên đăng nhập",
				     "coworkers[%zu] must be a login", i);
			break;
		}
		char field[32];
		snprintf(field, sizeof field, "coworkers[%zu]", i);
		rc = officer_check(a, field, l, NULL, e);
		if (rc)
			break;
		if (strcmp(l, *officer) != 0 && !in_list(out, l))
			json_array_append_new(out, json_string(l));
	}
	if (rc) {
		json_decref(out);
		return rc;
	}
	*coworkers = out;
	return MC_OK;
}

/* A directive: {"kind": document|meeting|person, "ref", "date"?}. */
static int source_check(const json_t *src, json_t **out, mc_err *e)
{
	static const char *const keys[] = { "kind", "ref", "date", NULL };
	if (!json_is_object(src))
		return mc_fail(e, MCE_BAD_FIELD,
			       "source phải là {kind: document|meeting|person, ref, date}",
			       "source must be {kind: document|meeting|person, ref, date}");
	const char *kind, *ref, *date;
	int rc = only_keys(src, "source.", keys, e);
	if (!rc)
		rc = text_field(src, "source.kind", "kind", 16, 1, 0, &kind, e);
	if (!rc)
		rc = text_field(src, "source.ref", "ref", APP_TASK_REF_MAX, 1, 0, &ref, e);
	if (!rc)
		rc = text_field(src, "source.date", "date", 10, 0, 0, &date, e);
	if (rc)
		return rc;
	if (strcmp(kind, "document") && strcmp(kind, "meeting") && strcmp(kind, "person"))
		return mc_fail(e, MCE_BAD_FIELD,
			       "source.kind là document (văn bản), meeting (kết luận cuộc họp) "
			       "hoặc person (cá nhân giao), không phải '%.30s'",
			       "source.kind is document, meeting or person, not '%.30s'", kind);
	int32_t d;
	if (*date && cal_parse_date(date, &d, e))
		return mc_prefix(e, "source.date: ", "source.date: ");
	*out = json_pack("{s:s, s:s, s:o}", "kind", kind, "ref", ref, "date",
			 *date ? json_string(date) : json_null());
	return MC_OK;
}

/* The deadline of a task assigned at now: {"date": "YYYY-MM-DD"} (the
 * close of that working day) or {"time": N, "unit": working_days |
 * working_hours | calendar_days} counted on this node's calendar from now.
 * OUT: *out the deadline as stored, *due, *day (the date's, else -1). */
static int deadline_check(app *a, const json_t *dl, mc_time now, json_t **out, mc_time *due,
			  int32_t *day, mc_err *e)
{
	static const char *const keys[] = { "date", "time", "unit", NULL };
	*day = -1;
	if (!json_is_object(dl))
		return mc_fail(e, MCE_BAD_FIELD,
			       "deadline phải là {date: YYYY-MM-DD} hoặc {time: N, unit: working_days}",
			       "deadline must be {date: YYYY-MM-DD} or {time: N, unit: working_days}");
	int rc = only_keys(dl, "deadline.", keys, e);
	if (rc)
		return rc;
	const json_t *date = json_object_get(dl, "date"), *time = json_object_get(dl, "time");
	const json_t *unit = json_object_get(dl, "unit");
	if (date && (time || unit))
		return mc_fail(e, MCE_BAD_FIELD, "deadline: ghi date hoặc time và unit, không cả hai",
			       "deadline: give date, or time and unit, not both");
	if (date) {
		int32_t d;
		if (!json_is_string(date) || cal_parse_date(json_string_value(date), &d, e))
			return mc_fail(e, MCE_BAD_FIELD, "deadline.date phải là ngày YYYY-MM-DD",
				       "deadline.date must be a date YYYY-MM-DD");
		rc = task_due_date(&a->sched, &a->hours, d, due, e);
		if (rc)
			return rc;
		*day = d;
		*out = json_pack("{s:s}", "date", json_string_value(date));
	} else {
		int u = dl_unit_parse(json_string_value(unit));
		if (!json_is_number(time) || u < 0 || u == DL_SAME_DAY)
			return mc_fail(e, MCE_BAD_FIELD,
				       "deadline cần time (số dương) và unit (working_days, "
				       "working_hours hoặc calendar_days)",
				       "deadline needs time (a positive number) and unit "
				       "(working_days, working_hours or calendar_days)");
		rc = dl_due(&a->sched, &a->hours, now, json_number_value(time), u, due, e);
		if (rc)
			return rc;
		*out = json_pack("{s:O, s:s}", "time", time, "unit", dl_unit_name(u));
	}
	if (*due < now) {
		json_decref(*out);
		*out = NULL;
		char iso[17];
		cal_format_datetime(*due, iso);
		return mc_fail(e, MCE_TASK_DEADLINE_PAST,
			       "hạn hoàn thành %s trước thời điểm giao việc",
			       "the deadline %s is before the assignment", iso);
	}
	return MC_OK;
}

/* communes: "all" (every approved commune) or an array of approved
 * communes' codes. OUT: *out, a sorted array without duplicates. */
typedef struct {
	json_t *list;
} communes_ctx;

static int approved_one(void *p, const st_hub_node *n)
{
	communes_ctx *c = p;
	if (strcmp(n->status, "approved") == 0 && !in_list(c->list, n->agency))
		json_array_append_new(c->list, json_string(n->agency));
	return 0;
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(json_string_value(*(json_t *const *)x), json_string_value(*(json_t *const *)y));
}

static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = mc_xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, str_cmp);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

static int communes_check(app *a, const json_t *c, json_t **out, mc_err *e)
{
	*out = NULL;
	communes_ctx cx = { json_array() };
	int rc = MC_OK;
	if (json_is_string(c) && strcmp(json_string_value(c), "all") == 0) {
		rc = st_hub_node_list(a->st, approved_one, &cx, e);
		if (!rc && json_array_size(cx.list) == 0)
			rc = mc_fail(e, MCE_TASK_UNKNOWN_COMMUNE, "tỉnh chưa duyệt máy xã nào",
				     "the hub has approved no commune yet");
	} else if (!json_is_array(c) || json_array_size(c) == 0 ||
		   json_array_size(c) > APP_TASK_COMMUNES_MAX) {
		rc = mc_fail(e, MCE_BAD_FIELD,
			     "communes là \"all\" hoặc mảng từ 1 đến %d mã xã",
			     "communes is \"all\" or an array of 1 to %d commune codes",
			     APP_TASK_COMMUNES_MAX);
	} else {
		size_t i;
		const json_t *v;
		json_array_foreach(c, i, v)
		{
			const char *code = json_string_value(v);
			int ok = 0;
			if (code && app_agency_code_valid(code) && strcmp(code, a->agency) != 0)
				rc = st_hub_agency_approved(a->st, code, &ok, e);
			if (rc)
				break;
			if (!ok) {
				rc = mc_fail(e, MCE_TASK_UNKNOWN_COMMUNE,
					     "communes[%zu]: '%.40s' không phải xã đã được tỉnh duyệt",
					     "communes[%zu]: '%.40s' is not an approved commune", i,
					     code ? code : "");
				break;
			}
			if (!in_list(cx.list, code))
				json_array_append_new(cx.list, json_string(code));
		}
	}
	if (rc) {
		json_decref(cx.list);
		return rc;
	}
	*out = sorted(cx.list);
	return MC_OK;
}

/* attachments: an array of sha256 this node holds. OUT: *out resolved. */
static int attachments_check(app *a, const json_t *in, json_t **out, mc_err *e)
{
	const json_t *v = json_object_get(in, "attachments");
	return app_attach_resolve(a, json_is_null(v) ? NULL : v, out, e);
}

/* ---- writing ---- */

/* A new id of this node's tasks for the year of now: the agency's code,
 * "/T-", the year and a serial of at least four digits. OUT: out. */
static int new_id(app *a, mc_time now, char out[128], mc_err *e)
{
	int y, m, d;
	cal_civil_from_days(cal_local_day(now), &y, &m, &d);
	int64_t n = 0;
	int rc = st_task_serial_next(a->st, a->agency, y, &n, e);
	if (!rc)
		snprintf(out, 128, "%s/T-%04d-%04lld", a->agency, y, (long long)n);
	return rc;
}

/* Inside a transaction, on a hub: an item of stream "tasks" for commune
 * to (body keys sorted, its hash its name). */
static int publish(app *a, const char *to, const char *kind, const json_t *body,
		   const char *actor, mc_time now, mc_err *e)
{
	char *bs = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (!bs)
		return mc_fail(e, MCE_INTERNAL, "không mã hoá được mục gửi xã",
			       "cannot encode the item for the commune");
	char hash[65];
	sha256_hex(bs, strlen(bs), hash);
	st_hub_item it = { .agency = to, .stream = "tasks", .kind = kind, .hash = hash,
			   .body = bs, .actor = actor, .at = now };
	int rc = st_hub_outbox_put(a->st, &it, NULL, e);
	free(bs);
	return rc;
}

/* A province task as commune gets it: its own to work, the province its
 * assigner. */
static json_t *commune_rec(const json_t *r, const char *commune)
{
	json_t *c = json_deep_copy(r);
	json_object_set_new(c, "agency", json_string(commune));
	json_object_set_new(c, "origin", json_string("hub"));
	json_object_set_new(c, "communes", json_array());
	return c;
}

/* Inside a transaction: the new task r (its id set) with its
 * task.assigned event by actor (extra: more of the payload, may be NULL)
 * and, for communes, each one's assignment and item. */
static int write_new(app *a, const char *actor, const char *actor_name, json_t *r,
		     const json_t *extra, mc_time now, mc_err *e)
{
	const char *id = sget(r, "id");
	json_t *p = json_pack("{s:O}", "task", r);
	if (extra)
		json_object_update(p, unconst(extra));
	int64_t seq = 0;
	int rc = ev_append(a->st, now, actor, "task.assigned", NULL, p, &seq, e);
	json_decref(p);
	if (!rc)
		rc = rec_put(a, r, seq, now, e);
	if (!rc)
		rc = log_put(a, id, "", a->agency, seq, now, actor, actor_name, "assign", "",
			     "assigned", -1, "", json_object_get(r, "attachments"), "", e);
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(r, "communes"), i, c)
	{
		if (rc)
			break;
		st_task_assign as = { .agency = json_string_value(c), .task = id,
				      .state = "assigned", .updated_at = now };
		rc = st_task_assign_put(a->st, &as, e);
		json_t *b = json_pack("{s:o, s:I}", "task", commune_rec(r, as.agency), "seq",
				      (json_int_t)seq);
		if (!rc)
			rc = publish(a, as.agency, "task.assigned", b, actor, now, e);
		json_decref(b);
	}
	return rc;
}

/* Inside a transaction: the instance after r of its recurring series,
 * unless made already (one per period: docs/tasks.md "Recurrence"). OUT:
 * *made (may be NULL). */
static int spawn_next(app *a, const char *actor, const char *actor_name, const json_t *r,
		      mc_time now, int *made, mc_err *e)
{
	if (made)
		*made = 0;
	const json_t *rc_o = json_object_get(r, "recurrence");
	int every = task_recur_parse(sget(rc_o, "every"));
	int day = (int)json_integer_value(json_object_get(rc_o, "day"));
	int32_t cur, next;
	char period[8], date[11], id[128];
	if (every <= 0 || strcmp(sget(r, "origin"), "local") != 0)
		return MC_OK;
	int rc = cal_parse_date(sget(r, "nominal"), &cur, e);
	if (!rc)
		rc = task_recur_next(every, day, cur, &next, e);
	if (rc)
		return rc;
	task_period_name(next, period);
	int exists = 0;
	rc = st_task_period_exists(a->st, sget(r, "series"), period, &exists, e);
	if (rc || exists)
		return rc;
	mc_time due;
	rc = task_due_date(&a->sched, &a->hours, next, &due, e);
	if (!rc)
		rc = new_id(a, now, id, e);
	if (rc)
		return rc;
	cal_format_date(next, date);
	json_t *n = json_deep_copy(r);
	json_object_set_new(n, "id", json_string(id));
	json_object_set_new(n, "state", json_string("assigned"));
	json_object_set_new(n, "percent", json_integer(0));
	json_object_set_new(n, "reason", json_string(""));
	json_object_set_new(n, "deadline", json_pack("{s:s}", "date", date));
	json_object_set_new(n, "period", json_string(period));
	json_object_set_new(n, "nominal", json_string(date));
	tset(n, "assigned_at", now);
	tset(n, "due_at", due);
	tset(n, "done_at", 0);
	tset(n, "closed_at", 0);
	json_t *extra = json_pack("{s:s}", "recurrence_of", sget(r, "id"));
	rc = write_new(a, actor, actor_name, n, extra, now, e);
	json_decref(extra);
	json_decref(n);
	if (!rc && made)
		*made = 1;
	return rc;
}

int app_task_create(app *a, const app_actor *by, const json_t *in, mc_time now, json_t **out,
		    mc_err *e)
{
	static const char *const keys[] = { "title",	  "content",	 "source",   "unit",
					    "officer",	  "coworkers",	 "deadline", "recurrence",
					    "attachments", "shared",	 "communes", NULL };
	static const char *const rkeys[] = { "every", "day", NULL };
	*out = NULL;
	if (!leaderish(by->role))
		return mc_fail(e, MCE_ROLE, "chỉ lãnh đạo và quản trị được giao việc",
			       "only a leader or administrator assigns tasks");
	if (!json_is_object(in))
		return mc_fail(e, MCE_BAD_FIELD, "nội dung phải là một đối tượng JSON",
			       "the body must be a JSON object");
	const char *title, *content;
	json_t *source = NULL, *dl = NULL, *cw = NULL, *att = NULL, *communes = NULL;
	const json_t *cin = json_object_get(in, "communes"), *sh = json_object_get(in, "shared");
	const json_t *rin = json_object_get(in, "recurrence");
	int to_communes = cin && !json_is_null(cin);
	int rc = only_keys(in, "", keys, e);
	if (!rc)
		rc = text_field(in, "title", "title", APP_TASK_TITLE_MAX, 1, 0, &title, e);
	if (!rc)
		rc = text_field(in, "content", "content", APP_TASK_CONTENT_MAX, 0, 1, &content, e);
	if (!rc)
		rc = source_check(json_object_get(in, "source"), &source, e);
	if (!rc && sh && !json_is_boolean(sh))
		rc = mc_fail(e, MCE_BAD_FIELD, "shared phải là true hoặc false",
			     "shared must be true or false");
	if (!rc && to_communes && !a->hub)
		rc = bad(e, "communes: chỉ máy chủ của tỉnh giao việc cho các xã",
			 "communes: only the province's hub assigns tasks to communes");
	if (!rc && to_communes &&
	    (json_object_get(in, "unit") || json_object_get(in, "officer") ||
	     json_object_get(in, "coworkers")))
		rc = bad(e, "nhiệm vụ giao cho các xã không ghi đơn vị, cán bộ: lãnh đạo mỗi xã "
			    "tự giao tiếp",
			 "a task for communes names no unit or officer: each commune's leader "
			 "delegates it");
	if (!rc && json_is_true(sh) && a->hub)
		rc = bad(e, "shared: chỉ nhiệm vụ của xã mới chia sẻ với tỉnh",
			 "shared: only a commune's task is shared with the province");
	int every = TASK_RECUR_NONE, rday = 0;
	if (!rc && rin && !json_is_null(rin)) {
		const json_t *d = json_object_get(rin, "day");
		if (!json_is_object(rin))
			rc = mc_fail(e, MCE_BAD_FIELD, "recurrence phải là {every, day}",
				     "recurrence must be {every, day}");
		if (!rc)
			rc = only_keys(rin, "recurrence.", rkeys, e);
		if (!rc) {
			every = task_recur_parse(json_string_value(json_object_get(rin, "every")));
			if (every <= 0 || (d && (!json_is_integer(d) || json_integer_value(d) < 1 ||
						 json_integer_value(d) > 31)))
				rc = mc_fail(e, MCE_BAD_FIELD,
					     "recurrence: every là monthly hoặc quarterly, day từ 1 "
					     "đến 31",
					     "recurrence: every is monthly or quarterly, day 1 to 31");
			rday = d ? (int)json_integer_value(d) : 0;
		}
	}
	if (rc) {
		json_decref(source);
		return rc;
	}
	const char *unit = "", *officer = "";
	mc_time due = 0;
	int32_t day = -1;
	char id[128];
	rc = st_begin(a->st, e);
	if (!rc && !to_communes)
		rc = owner_check(a, in, 1, &unit, &officer, &cw, e);
	if (!rc)
		rc = deadline_check(a, json_object_get(in, "deadline"), now, &dl, &due, &day, e);
	if (!rc && every && day < 0)
		rc = bad(e, "nhiệm vụ định kỳ cần hạn là một ngày (deadline.date)",
			 "a recurring task needs a date deadline (deadline.date)");
	if (!rc)
		rc = attachments_check(a, in, &att, e);
	if (!rc && to_communes)
		rc = communes_check(a, cin, &communes, e);
	if (!rc)
		rc = new_id(a, now, id, e);
	if (!rc) {
		char nominal[11] = "", period[8] = "";
		if (every) {
			int y, m, d;
			cal_civil_from_days(day, &y, &m, &d);
			rday = rday ? rday : d;
			cal_format_date(day, nominal);
			task_period_name(day, period);
		}
		json_t *r = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:o, s:s, s:s, s:o, s:O, s:o, "
			"s:s, s:i, s:n, s:n, s:s, s:o, s:s, s:s, s:s, s:b, s:o, s:o}",
			"id", id, "agency", a->agency, "assigner", a->agency, "origin", "local",
			"title", title, "content", content, "source", source, "unit", unit,
			"officer", officer, "coworkers", cw ? json_incref(cw) : json_array(),
			"creator", by->login, "creator_name", by->name, "assigned_at",
			app_json_time(now), "deadline", dl, "due_at", app_json_time(due), "state",
			"assigned", "percent", 0, "done_at", "closed_at", "reason", "", "recurrence",
			every ? json_pack("{s:s, s:i}", "every", task_recur_name(every), "day", rday)
			      : json_null(),
			"series", every ? id : "", "period", period, "nominal", nominal, "shared",
			json_is_true(sh), "attachments", json_incref(att), "communes",
			communes ? json_incref(communes) : json_array());
		rc = r ? write_new(a, by->login, by->name, r, NULL, now, e)
		       : mc_fail(e, MCE_INTERNAL, "không lập được bản ghi nhiệm vụ",
				 "cannot build the task record");
		json_decref(r);
	}
	rc = st_end(a->st, rc, e);
	json_decref(source);
	json_decref(dl);
	json_decref(cw);
	json_decref(att);
	json_decref(communes);
	if (rc)
		return rc;
	return app_task_get(a, by, id, now, out, e);
}

/* ---- actions ---- */

/* The keys each action takes (tasks.h, app_task_act). */
static const char *const act_keys[TASK_N_ACTIONS][6] = {
	[TASK_START] = { "text", NULL },
	[TASK_PROGRESS] = { "percent", "text", "attachments", NULL },
	[TASK_REPORT_DONE] = { "text", "attachments", NULL },
	[TASK_ACCEPT] = { "text", "commune", NULL },
	[TASK_RETURN] = { "reason", "commune", NULL },
	[TASK_CANCEL] = { "reason", "commune", NULL },
	[TASK_DELEGATE] = { "unit", "officer", "coworkers", "text", NULL },
};

static const char *side_vi(unsigned side)
{
	return side == TASK_SIDE_ASSIGNER ? "bên giao việc (người giao, lãnh đạo, quản trị)"
	       : side == TASK_SIDE_LEADER ? "lãnh đạo của bên thực hiện"
					  : "bên thực hiện (cán bộ chủ trì, phối hợp, đơn vị, lãnh đạo)";
}

static const char *side_en(unsigned side)
{
	return side == TASK_SIDE_ASSIGNER ? "the assigner's side (its creator, leaders, admins)"
	       : side == TASK_SIDE_LEADER ? "the assignee side's leader"
					  : "the assignee's side (its officers, unit, leaders)";
}

static int refuse(int k, int act, int state, mc_err *e)
{
	char vi[384], en[256];
	if (k == TASK_ERR_SIDE) {
		snprintf(vi, sizeof vi, "chỉ %s được làm thao tác “%s”", side_vi(task_actions[act].side),
			 task_actions[act].label_vi);
		snprintf(en, sizeof en, "only %s may %s", side_en(task_actions[act].side),
			 task_action_name(act));
		return fail2(e, MCE_TASK_WRONG_SIDE, vi, en);
	}
	snprintf(vi, sizeof vi, "không làm được thao tác “%s” khi nhiệm vụ đang ở trạng thái “%s”",
		 task_actions[act].label_vi, task_state_label_vi(state));
	snprintf(en, sizeof en, "cannot %s a task that is %s", task_action_name(act),
		 task_state_name(state));
	return fail2(e, MCE_TASK_WRONG_STATE, vi, en);
}

/* What an action carries, checked. */
typedef struct {
	const char *text, *reason;
	int percent; /* -1 none */
	json_t *att; /* resolved attachments (NULL: none) */
	const char *unit, *officer;
	json_t *coworkers;
} act_args;

static void act_args_release(act_args *x)
{
	json_decref(x->att);
	json_decref(x->coworkers);
}

static int act_args_read(app *a, int act, const json_t *in, act_args *x, mc_err *e)
{
	memset(x, 0, sizeof *x);
	x->percent = -1;
	x->text = x->reason = x->unit = x->officer = "";
	unsigned needs = task_actions[act].needs;
	int rc = text_field(in, "text", "text", APP_TASK_TEXT_MAX, 0, 1, &x->text, e);
	if (!rc)
		rc = text_field(in, "reason", "reason", APP_TASK_TEXT_MAX, 0, 1, &x->reason, e);
	if (rc)
		return rc;
	if ((needs & TASK_NEED_REASON) && blank(x->reason))
		return mc_fail(e, MCE_TASK_INCOMPLETE, "cần ghi lý do (reason)",
			       "a reason is required");
	if (needs & TASK_NEED_PERCENT) {
		const json_t *p = json_object_get(in, "percent");
		if (!p || json_is_null(p))
			return mc_fail(e, MCE_TASK_INCOMPLETE, "cần ghi phần trăm hoàn thành (percent)",
				       "the percent done is required");
		if (!json_is_integer(p) || json_integer_value(p) < 0 || json_integer_value(p) > 100)
			return mc_fail(e, MCE_BAD_FIELD,
				       "percent phải là số nguyên từ 0 đến 100",
				       "percent must be a whole number from 0 to 100");
		x->percent = (int)json_integer_value(p);
	}
	if (needs & TASK_NEED_OWNER) {
		const json_t *u = json_object_get(in, "unit");
		if (!json_is_string(u) || !json_string_length(u))
			return mc_fail(e, MCE_TASK_INCOMPLETE, "cần ghi đơn vị được giao (unit)",
				       "the unit to hand the task to is required");
		rc = owner_check(a, in, 1, &x->unit, &x->officer, &x->coworkers, e);
		if (rc)
			return rc;
	}
	if (json_object_get(in, "attachments"))
		rc = attachments_check(a, in, &x->att, e);
	return rc;
}

/* The payload of an action's event: the record after it and what the
 * action carried. */
static json_t *act_payload(const json_t *r, int act, const char *from, const char *to,
			   const act_args *x, const app_actor *by)
{
	/* actor_name: the hub, which does not know the commune's officers,
	 * shows who acted from the event alone. */
	json_t *p = json_pack("{s:O, s:s, s:s, s:s, s:s}", "task", r, "action",
			      task_action_name(act), "from", from, "to", to, "actor_name", by->name);
	if (x->percent >= 0)
		json_object_set_new(p, "percent", json_integer(x->percent));
	if (*x->text)
		json_object_set_new(p, "text", json_string(x->text));
	if (*x->reason)
		json_object_set_new(p, "reason", json_string(x->reason));
	if (x->att)
		json_object_set(p, "attachments", x->att);
	return p;
}

static const char *event_kind(int act, char buf[32])
{
	if (act == TASK_DELEGATE)
		return "task.delegated";
	snprintf(buf, 32, "task.%s", task_action_name(act));
	return buf;
}

/* Inside a transaction: act on a task this node works (not a province
 * task for communes). */
static int act_here(app *a, const app_actor *by, json_t *r, int act, const json_t *in,
		    mc_time now, mc_err *e)
{
	const char *state = sget(r, "state");
	int from = task_state_parse(state), to = from;
	int k = task_next(from, act, sides_of(a, by, r), &to);
	if (k)
		return refuse(k, act, from, e);
	if (json_object_get(in, "commune"))
		return bad(e, "commune: chỉ dùng khi tỉnh đánh giá việc của một xã",
			   "commune: only for the hub's review of one commune's work");
	act_args x;
	int rc = act_args_read(a, act, in, &x, e);
	if (rc) {
		act_args_release(&x);
		return rc;
	}
	char from_name[24], kb[32];
	snprintf(from_name, sizeof from_name, "%s", state);
	json_object_set_new(r, "state", json_string(task_state_name(to)));
	if (x.percent >= 0)
		json_object_set_new(r, "percent", json_integer(x.percent));
	if (act == TASK_REPORT_DONE) {
		json_object_set_new(r, "percent", json_integer(100));
		tset(r, "done_at", now);
	}
	if (act == TASK_ACCEPT || act == TASK_CANCEL)
		tset(r, "closed_at", now);
	if (*x.reason)
		json_object_set_new(r, "reason", json_string(x.reason));
	if (act == TASK_DELEGATE) {
		json_object_set_new(r, "unit", json_string(x.unit));
		json_object_set_new(r, "officer", json_string(x.officer));
		json_object_set(r, "coworkers", x.coworkers);
	}
	json_t *p = act_payload(r, act, from_name, task_state_name(to), &x, by);
	int64_t seq = 0;
	rc = ev_append(a->st, now, by->login, event_kind(act, kb), NULL, p, &seq, e);
	json_decref(p);
	if (!rc)
		rc = rec_put(a, r, seq, now, e);
	if (!rc)
		rc = log_put(a, sget(r, "id"), "", a->agency, seq, now, by->login, by->name,
			     task_action_name(act), from_name, task_state_name(to), x.percent,
			     *x.reason ? x.reason : x.text, x.att, "", e);
	/* An accepted instance of a recurring task makes the next one. */
	if (!rc && act == TASK_ACCEPT)
		rc = spawn_next(a, by->login, by->name, r, now, NULL, e);
	act_args_release(&x);
	return rc;
}

/* ---- on a hub: the communes' assignments of a province task ---- */

typedef struct {
	int st[APP_TASK_COMMUNES_MAX];
	size_t n;
	int pct;
	mc_time done, closed;
} agg_ctx;

static int agg_one(void *p, const st_task_assign *x)
{
	agg_ctx *c = p;
	if (c->n == APP_TASK_COMMUNES_MAX)
		return 1;
	c->st[c->n++] = task_state_parse(x->state);
	c->pct += x->percent;
	if (x->done_at > c->done)
		c->done = x->done_at;
	if (x->closed_at > c->closed)
		c->closed = x->closed_at;
	return 0;
}

/* Inside a transaction: the hub's row of province task r from its
 * communes' assignments (task_aggregate). OUT: *state (may be NULL). */
static int hub_aggregate(app *a, json_t *r, int64_t seq, mc_time now, int *state, mc_err *e)
{
	agg_ctx c = { .n = 0 };
	int rc = st_task_assign_list(a->st, sget(r, "id"), agg_one, &c, e);
	if (rc)
		return rc;
	int s = task_aggregate(c.st, c.n);
	json_object_set_new(r, "state", json_string(task_state_name(s)));
	json_object_set_new(r, "percent", json_integer(c.n ? c.pct / (int)c.n : 0));
	tset(r, "done_at", s == TASK_REPORTED_DONE || s == TASK_ACCEPTED ? c.done : 0);
	tset(r, "closed_at", task_state_final(s) ? c.closed : 0);
	if (state)
		*state = s;
	return rec_put(a, r, seq, now, e);
}

typedef struct {
	char state[24], unit[32], officer[64], reason[APP_TASK_TEXT_MAX + 1];
	int percent;
	mc_time delivered, done, closed;
	int found;
} assign_copy;

static int assign_one(void *p, const st_task_assign *x)
{
	assign_copy *c = p;
	snprintf(c->state, sizeof c->state, "%s", x->state);
	snprintf(c->unit, sizeof c->unit, "%s", x->unit);
	snprintf(c->officer, sizeof c->officer, "%s", x->officer);
	snprintf(c->reason, sizeof c->reason, "%s", x->reason);
	c->percent = x->percent;
	c->delivered = x->delivered_at;
	c->done = x->done_at;
	c->closed = x->closed_at;
	c->found = 1;
	return 0;
}

static int assign_save(app *a, const char *agency, const char *task, const assign_copy *c,
		       mc_time now, mc_err *e)
{
	st_task_assign x = { .agency = agency, .task = task, .state = c->state,
			     .percent = c->percent, .unit = c->unit, .officer = c->officer,
			     .delivered_at = c->delivered, .done_at = c->done,
			     .closed_at = c->closed, .reason = c->reason, .updated_at = now };
	return st_task_assign_put(a->st, &x, e);
}

/* Inside a transaction, on the hub: the province reviews one commune's
 * work on task r (accept, return) or calls it off for one commune or all
 * (cancel). Each change goes down as a task.reviewed item. */
static int act_communes(app *a, const app_actor *by, json_t *r, int act, const json_t *in,
			mc_time now, mc_err *e)
{
	const char *id = sget(r, "id");
	int to = 0;
	if (act != TASK_ACCEPT && act != TASK_RETURN && act != TASK_CANCEL)
		return refuse(TASK_ERR_SIDE, act, 0, e);
	unsigned sides = sides_of(a, by, r);
	if (!(sides & TASK_SIDE_ASSIGNER))
		return refuse(TASK_ERR_SIDE, act, 0, e);
	const char *commune;
	int rc = text_field(in, "commune", "commune", 63, 0, 0, &commune, e);
	if (rc)
		return rc;
	if (!*commune && act != TASK_CANCEL)
		return mc_fail(e, MCE_TASK_INCOMPLETE, "cần ghi xã được đánh giá (commune)",
			       "the commune whose work is reviewed is required");
	if (*commune && !in_list(json_object_get(r, "communes"), commune))
		return mc_fail(e, MCE_TASK_UNKNOWN_COMMUNE, "nhiệm vụ không giao cho xã '%.40s'",
			       "the task was not assigned to commune '%.40s'", commune);
	/* Which assignments change: the one named, or every one not final. */
	json_t *targets = json_array(), *changes = json_array();
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(r, "communes"), i, c)
	{
		const char *ag = json_string_value(c);
		if (*commune && strcmp(ag, commune) != 0)
			continue;
		assign_copy x = { .found = 0 };
		rc = st_task_assign_get(a->st, ag, id, assign_one, &x, e);
		if (rc == MC_ENOTFOUND)
			rc = mc_fail(e, MCE_INTERNAL, "thiếu bản giao việc cho xã %s",
				     "the assignment for commune %s is missing", ag);
		if (rc)
			break;
		int from = task_state_parse(x.state);
		int k = task_next(from, act, sides, &to);
		if (k && *commune) {
			rc = refuse(k, act, from, e);
			break;
		}
		if (k)
			continue;
		json_array_append_new(targets, json_string(ag));
		json_array_append_new(changes, json_pack("{s:s, s:s, s:s}", "agency", ag, "from",
							 x.state, "to", task_state_name(to)));
	}
	if (!rc && json_array_size(targets) == 0)
		rc = mc_fail(e, MCE_TASK_WRONG_STATE, "mọi xã đã hoàn tất hoặc đã huỷ nhiệm vụ này",
			     "every commune's assignment of this task is final");
	act_args x;
	memset(&x, 0, sizeof x);
	if (!rc)
		rc = act_args_read(a, act, in, &x, e);
	int64_t seq = 0;
	char kb[32];
	if (!rc) {
		json_t *p = json_pack("{s:O, s:s, s:s, s:O}", "task", r, "action",
				      task_action_name(act), "to", task_state_name(to), "assignments",
				      changes);
		if (*x.text)
			json_object_set_new(p, "text", json_string(x.text));
		if (*x.reason)
			json_object_set_new(p, "reason", json_string(x.reason));
		rc = ev_append(a->st, now, by->login, event_kind(act, kb), NULL, p, &seq, e);
		json_decref(p);
	}
	json_array_foreach(changes, i, c)
	{
		if (rc)
			break;
		const char *ag = sget(c, "agency");
		assign_copy s = { .found = 0 };
		rc = st_task_assign_get(a->st, ag, id, assign_one, &s, e);
		if (rc)
			break;
		snprintf(s.state, sizeof s.state, "%s", task_state_name(to));
		if (act != TASK_ACCEPT)
			snprintf(s.reason, sizeof s.reason, "%s", x.reason);
		if (task_state_final(to))
			s.closed = now;
		rc = assign_save(a, ag, id, &s, now, e);
		if (!rc)
			rc = log_put(a, id, ag, a->agency, seq, now, by->login, by->name,
				     task_action_name(act), sget(c, "from"), task_state_name(to), -1,
				     *x.reason ? x.reason : x.text, NULL, "", e);
		json_t *b = json_pack("{s:s, s:o, s:s, s:s, s:s, s:I, s:s, s:s}", "action",
				      task_action_name(act), "at", app_json_time(now), "by",
				      by->login, "by_name", by->name, "reason", x.reason, "seq",
				      (json_int_t)seq, "task", id, "text", x.text);
		if (!rc)
			rc = publish(a, ag, "task.reviewed", b, by->login, now, e);
		json_decref(b);
	}
	int agg = 0;
	if (!rc)
		rc = hub_aggregate(a, r, seq, now, &agg, e);
	if (!rc && agg == TASK_ACCEPTED)
		rc = spawn_next(a, by->login, by->name, r, now, NULL, e);
	act_args_release(&x);
	json_decref(targets);
	json_decref(changes);
	return rc;
}

int app_task_act(app *a, const app_actor *by, const char *id, const char *action,
		 const json_t *in, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	int act = task_action_parse(action);
	if (act < 0)
		return mc_fail(e, MCE_TASK_BAD_FIELD,
			       "không có thao tác '%.40s' (start, progress, report_done, accept, "
			       "return, cancel, delegate)",
			       "no action '%.40s' (start, progress, report_done, accept, return, "
			       "cancel, delegate)",
			       action);
	json_t *empty = json_object();
	if (!in || json_is_null(in))
		in = empty;
	int rc = json_is_object(in) ? only_keys(in, "", act_keys[act], e)
				    : mc_fail(e, MCE_BAD_FIELD, "nội dung phải là một đối tượng JSON",
					      "the body must be a JSON object");
	if (!rc)
		rc = st_begin(a->st, e);
	else {
		json_decref(empty);
		return rc;
	}
	json_t *r = NULL;
	if (!rc)
		rc = rec_load(a, id, &r, e);
	if (!rc && strcmp(sget(r, "agency"), a->agency) != 0)
		rc = mc_fail(e, MCE_TASK_NOT_HERE,
			     "nhiệm vụ do %s thực hiện: thao tác trên máy của đơn vị đó",
			     "the task is worked by %s: act on its node", sget(r, "agency"));
	if (!rc)
		rc = for_communes(r) ? act_communes(a, by, r, act, in, now, e)
				     : act_here(a, by, r, act, in, now, e);
	rc = st_end(a->st, rc, e);
	json_decref(r);
	json_decref(empty);
	if (rc)
		return rc;
	return app_task_get(a, by, id, now, out, e);
}

/* ---- reading ---- */

static void unit_name(app *a, const char *code, char out[256])
{
	app_unit u;
	mc_err ig;
	if (!*code || app_unit_get(a, code, &u, &ig) != MC_OK)
		snprintf(out, 256, "%s", code);
	else
		snprintf(out, 256, "%s", u.name);
}

static json_t *user_name(app *a, const char *login)
{
	st_user u;
	mc_err ig;
	if (!*login)
		return json_string("");
	if (st_user_get(a->st, login, &u, &ig) != MC_OK)
		return json_string(login);
	return json_string(u.name);
}

/* The actions by may take on state from sides. */
static json_t *actions_of(int state, unsigned sides, int communes_only)
{
	json_t *arr = json_array();
	for (int act = 0; act < TASK_N_ACTIONS; act++) {
		int to;
		if (communes_only && act != TASK_ACCEPT && act != TASK_RETURN && act != TASK_CANCEL)
			continue;
		if (task_next(state, act, sides, &to) == TASK_OK)
			json_array_append_new(arr, json_string(task_action_name(act)));
	}
	return arr;
}

/* The derived fields every answer shows of a task or an assignment:
 * state_label, overdue, near_due, timeliness. */
static void derive(json_t *o, int state, mc_time due, mc_time done, mc_time now, mc_time near)
{
	int over = task_overdue(state, due, done, now);
	int near_due = !over && !task_state_final(state) && state != TASK_REPORTED_DONE &&
		       due >= now && due < near;
	json_object_set_new(o, "state_label", json_string(task_state_label_vi(state)));
	json_object_set_new(o, "overdue", json_boolean(over));
	json_object_set_new(o, "near_due", json_boolean(near_due));
	const char *tl = NULL;
	if (state == TASK_ACCEPTED || (state == TASK_REPORTED_DONE && done))
		tl = done <= due || !due ? "on_time" : "late";
	json_object_set_new(o, "timeliness", tl ? json_string(tl) : json_null());
}

typedef struct {
	app *a;
	const app_actor *by;
	json_t *arr;
	mc_time now, near;
	unsigned sides;
} assigns_ctx;

static int assign_json(void *p, const st_task_assign *x)
{
	assigns_ctx *c = p;
	char name[256] = "";
	mc_err ig;
	if (st_agency_get(c->a->st, x->agency, name, sizeof name, &ig) != MC_OK)
		snprintf(name, sizeof name, "%s", x->agency);
	int state = task_state_parse(x->state);
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "agency",
			      x->agency, "name", name, "state", x->state, "percent", x->percent,
			      "unit", x->unit, "officer", x->officer, "delivered_at",
			      app_json_time(x->delivered_at), "done_at", app_json_time(x->done_at),
			      "closed_at", app_json_time(x->closed_at), "reason", x->reason,
			      "actions", actions_of(state, c->sides, 1));
	json_array_append_new(c->arr, o);
	return 0;
}

/* The answer's form of record r (consumed) for by at now. */
static json_t *view_of(app *a, const app_actor *by, json_t *r, mc_time now, mc_time near)
{
	int state = task_state_parse(sget(r, "state"));
	mc_time due = tget(r, "due_at"), done = tget(r, "done_at");
	unsigned sides = sides_of(a, by, r);
	char un[256];
	derive(r, state, due, done, now, near);
	unit_name(a, sget(r, "unit"), un);
	json_object_set_new(r, "unit_name", json_string(un));
	json_object_set_new(r, "officer_name", user_name(a, sget(r, "officer")));
	json_t *cw = json_array();
	size_t i;
	const json_t *v;
	json_array_foreach(json_object_get(r, "coworkers"), i, v)
		json_array_append_new(cw, json_pack("{s:s, s:o}", "login", json_string_value(v),
						    "name", user_name(a, json_string_value(v))));
	json_object_set_new(r, "coworker_names", cw);
	json_object_set_new(r, "held_here", json_boolean(strcmp(sget(r, "agency"), a->agency) == 0));
	int communes = for_communes(r);
	json_object_set_new(r, "actions", communes ? json_array() : actions_of(state, sides, 0));
	if (communes) {
		assigns_ctx c = { a, by, json_array(), now, near, sides };
		mc_err ig;
		if (st_task_assign_list(a->st, sget(r, "id"), assign_json, &c, &ig) != MC_OK)
			json_array_clear(c.arr);
		json_t *x;
		json_array_foreach(c.arr, i, x)
			derive(x, task_state_parse(sget(x, "state")), due, tget(x, "done_at"), now,
			       near);
		json_object_set_new(r, "assignments", c.arr);
	}
	return r;
}

typedef struct {
	json_t *arr;
} hist_ctx;

static int hist_one(void *p, const st_task_log *l)
{
	hist_ctx *c = p;
	int act = task_action_parse(l->action);
	const char *label = act >= 0 ? task_actions[act].label_vi
			    : strcmp(l->action, "assign") == 0 ? "Giao việc"
			    : strcmp(l->action, "received") == 0 ? "Xã đã nhận nhiệm vụ"
								 : l->action;
	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "at",
			      app_json_time(l->at), "actor", l->actor, "actor_name", l->actor_name,
			      "action", l->action, "action_label", label, "from", l->from_state,
			      "to", l->to_state, "percent",
			      l->percent >= 0 ? json_integer(l->percent) : json_null(), "text",
			      l->text, "attachments", json_or(l->attachments, json_array()));
	if (*l->commune)
		json_object_set_new(o, "commune", json_string(l->commune));
	if (*l->note)
		json_object_set_new(o, "note", json_string(l->note));
	json_array_append_new(c->arr, o);
	return 0;
}

int app_task_get(app *a, const app_actor *by, const char *id, mc_time now, json_t **out,
		 mc_err *e)
{
	*out = NULL;
	json_t *r = NULL;
	mc_time near;
	int rc = dl_near_due_before(&a->sched, &a->hours, now, &near, e);
	if (!rc)
		rc = rec_load(a, id, &r, e);
	if (!rc && !may_see(by, r))
		rc = mc_fail(e, MCE_TASK_NOT_FOUND, "không có nhiệm vụ '%.100s' trong phạm vi được xem",
			     "no task '%.100s' you may see", id);
	hist_ctx h = { json_array() };
	if (!rc)
		rc = st_task_log_list(a->st, id, hist_one, &h, e);
	if (rc) {
		json_decref(r);
		json_decref(h.arr);
		return rc;
	}
	r = view_of(a, by, r, now, near);
	json_object_set_new(r, "history", h.arr);
	*out = r;
	return MC_OK;
}

typedef struct {
	app *a;
	const app_actor *by;
	json_t *items;
	mc_time now, near;
	const char *commune;
} list_ctx;

static int list_one(void *p, const st_task *t)
{
	list_ctx *c = p;
	json_t *r = view_of(c->a, c->by, rec_of_row(t), c->now, c->near);
	/* Lists are short: no content, no assignments but the one asked. */
	json_object_del(r, "content");
	json_t *as = json_object_get(r, "assignments");
	if (as) {
		json_t *sum = json_object(), *mine = NULL;
		size_t i;
		json_t *v;
		json_int_t over = 0, n = 0;
		json_array_foreach(as, i, v)
		{
			const char *s = sget(v, "state");
			json_t *k = json_object_get(sum, s);
			json_object_set_new(sum, s, json_integer(json_integer_value(k) + 1));
			over += json_is_true(json_object_get(v, "overdue"));
			n++;
			if (c->commune && strcmp(sget(v, "agency"), c->commune) == 0)
				mine = json_incref(v);
		}
		json_object_set_new(r, "communes_summary",
				    json_pack("{s:I, s:I, s:o}", "total", n, "overdue", over,
					      "by_state", sum));
		json_object_del(r, "assignments");
		if (mine)
			json_object_set_new(r, "assignment", mine);
	}
	json_array_append_new(c->items, r);
	return 0;
}

int app_task_list(app *a, const app_actor *by, const app_task_query *q, mc_time now,
		  json_t **out, mc_err *e)
{
	*out = NULL;
	const char *view = q->view && *q->view ? q->view : "mine";
	int limit = q->limit ? q->limit : 50;
	if (limit < 1 || limit > APP_TASK_PAGE_MAX || q->offset < 0)
		return mc_fail(e, MCE_BAD_FIELD, "limit từ 1 đến %d, offset không âm",
			       "limit is 1 to %d, offset not negative", APP_TASK_PAGE_MAX);
	mc_time near;
	int rc = dl_near_due_before(&a->sched, &a->hours, now, &near, e);
	if (rc)
		return rc;
	st_task_filter f = { .agency = a->hub ? NULL : a->agency, .now = now, .limit = limit,
			     .offset = q->offset, .unit = q->unit && *q->unit ? q->unit : NULL,
			     .source = q->source && *q->source ? q->source : NULL,
			     .commune = q->commune && *q->commune ? q->commune : NULL };
	f.see_all = leaderish(by->role) || by->role == ROLE_SUPERVISOR;
	f.scope_login = by->login;
	f.scope_unit = by->unit;
	if (strcmp(view, "mine") == 0) {
		f.member = by->login;
	} else if (strcmp(view, "unit") == 0) {
		if (!f.unit)
			f.unit = by->unit[0] ? by->unit : "\x01"; /* no unit: none */
	} else if (strcmp(view, "near_due") == 0) {
		f.near = 1;
		f.due_before = near;
	} else if (strcmp(view, "overdue") == 0) {
		f.overdue = 1;
	} else if (strcmp(view, "all") != 0) {
		return mc_fail(e, MCE_BAD_FIELD,
			       "view là mine, unit, near_due, overdue hoặc all, không phải '%.20s'",
			       "view is mine, unit, near_due, overdue or all, not '%.20s'", view);
	}
	if (f.commune && !a->hub)
		return mc_fail(e, MCE_BAD_FIELD, "commune: chỉ dùng trên máy chủ của tỉnh",
			       "commune: only on the province's hub");
	list_ctx c = { a, by, json_array(), now, near, f.commune };
	int64_t total = 0;
	rc = st_task_list(a->st, &f, list_one, &c, &total, e);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = json_pack("{s:s, s:o, s:I, s:i, s:i, s:o, s:o}", "view", view, "items", c.items,
			 "total", (json_int_t)total, "limit", limit, "offset", q->offset, "now",
			 app_json_time(now), "near_due_before", app_json_time(near));
	return MC_OK;
}

/* ---- the leader's board ---- */

typedef struct {
	app *a;
	json_t *units, *sources, *communes, *totals;
	mc_time now, near;
} board_ctx;

static json_t *board_row(json_t *map, const char *key, json_t *init)
{
	json_t *o = json_object_get(map, key);
	if (!o) {
		o = init;
		json_object_set_new(o, "total", json_integer(0));
		json_object_set_new(o, "open", json_integer(0));
		json_object_set_new(o, "near_due", json_integer(0));
		json_object_set_new(o, "overdue", json_integer(0));
		json_object_set_new(o, "done_on_time", json_integer(0));
		json_object_set_new(o, "done_late", json_integer(0));
		json_object_set_new(o, "cancelled", json_integer(0));
		json_object_set_new(map, key, o);
	} else {
		json_decref(init);
	}
	return o;
}

static void bump(json_t *o, const char *k)
{
	json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + 1));
}

static void board_count(json_t *o, int state, mc_time due, mc_time done, mc_time now,
			mc_time near)
{
	bump(o, "total");
	if (state == TASK_CANCELLED) {
		bump(o, "cancelled");
		return;
	}
	if (state == TASK_ACCEPTED) {
		bump(o, done && due && done > due ? "done_late" : "done_on_time");
		return;
	}
	bump(o, "open");
	if (task_overdue(state, due, done, now))
		bump(o, "overdue");
	else if (state != TASK_REPORTED_DONE && due >= now && due < near)
		bump(o, "near_due");
}

typedef struct {
	board_ctx *b;
	mc_time due;
} board_assign_ctx;

static int board_assign(void *p, const st_task_assign *x)
{
	board_assign_ctx *c = p;
	char name[256] = "";
	mc_err ig;
	if (st_agency_get(c->b->a->st, x->agency, name, sizeof name, &ig) != MC_OK)
		snprintf(name, sizeof name, "%s", x->agency);
	json_t *o = board_row(c->b->communes, x->agency,
			      json_pack("{s:s, s:s}", "agency", x->agency, "name", name));
	board_count(o, task_state_parse(x->state), c->due, x->done_at, c->b->now, c->b->near);
	return 0;
}

static int board_one(void *p, const st_task *t)
{
	board_ctx *c = p;
	int state = task_state_parse(t->state);
	char un[256], key[APP_TASK_REF_MAX + 32];
	unit_name(c->a, t->unit, un);
	board_count(c->totals, state, t->due_at, t->done_at, c->now, c->near);
	if (strcmp(t->communes, "[]") != 0 && *t->communes) {
		/* A province task: counted per commune, whose work it is. */
		board_assign_ctx bc = { c, t->due_at };
		mc_err ig;
		if (st_task_assign_list(c->a->st, t->id, board_assign, &bc, &ig)) {
			/* counted without its communes */
		}
	} else {
		json_t *o = board_row(c->units, t->unit,
				      json_pack("{s:s, s:s}", "unit", t->unit, "name",
						*t->unit ? un : "Chưa giao đơn vị"));
		board_count(o, state, t->due_at, t->done_at, c->now, c->near);
	}
	snprintf(key, sizeof key, "%s\n%s", t->source_kind, t->source_ref);
	json_t *o = board_row(c->sources, key,
			      json_pack("{s:s, s:s}", "kind", t->source_kind, "ref", t->source_ref));
	board_count(o, state, t->due_at, t->done_at, c->now, c->near);
	return 0;
}

static int overdue_cmp(const void *x, const void *y)
{
	const json_t *p = *(json_t *const *)x, *q = *(json_t *const *)y;
	json_int_t a = json_integer_value(json_object_get(p, "overdue"));
	json_int_t b = json_integer_value(json_object_get(q, "overdue"));
	if (a != b)
		return a > b ? -1 : 1;
	a = json_integer_value(json_object_get(p, "open"));
	b = json_integer_value(json_object_get(q, "open"));
	return a > b ? -1 : a < b;
}

/* The rows of map, the most overdue first. */
static json_t *board_list(json_t *map)
{
	size_t n = json_object_size(map), i = 0;
	json_t **v = mc_xcalloc(n ? n : 1, sizeof *v);
	const char *k;
	json_t *o;
	json_object_foreach(map, k, o)
		v[i++] = o;
	qsort(v, n, sizeof *v, overdue_cmp);
	json_t *arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append(arr, v[i]);
	free(v);
	json_decref(map);
	return arr;
}

int app_task_board(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	if (!leaderish(by->role) && by->role != ROLE_SUPERVISOR)
		return mc_fail(e, MCE_ROLE, "chỉ lãnh đạo, quản trị và giám sát xem bảng theo dõi",
			       "only leaders, administrators and supervisors see the board");
	board_ctx c = { a, json_object(), json_object(), json_object(), json_object(), now, 0 };
	board_row(c.totals, "", json_object()); /* the counters, then unwrap */
	json_t *tot = json_incref(json_object_get(c.totals, ""));
	json_decref(c.totals);
	c.totals = tot;
	int rc = dl_near_due_before(&a->sched, &a->hours, now, &c.near, e);
	st_task_filter f = { .agency = a->hub ? NULL : a->agency, .see_all = 1, .now = now };
	if (!rc)
		rc = st_task_list(a->st, &f, board_one, &c, NULL, e);
	if (rc) {
		json_decref(c.units);
		json_decref(c.sources);
		json_decref(c.communes);
		json_decref(c.totals);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "now", app_json_time(now),
			 "near_due_before", app_json_time(c.near), "totals", c.totals, "by_unit",
			 board_list(c.units), "by_source", board_list(c.sources), "by_commune",
			 board_list(c.communes));
	return MC_OK;
}

/* ---- on a hub: the communes' task events ---- */

static void verdict_set(const char **verdict, const char **vcode, char *vmsg, size_t n,
			const char *v, const char *code, const char *msg)
{
	*verdict = v;
	*vcode = code;
	snprintf(vmsg, n, "%s", msg);
}

/* A commune's event on a province task: its assignment moves (the
 * assignee's actions), or the event is kept without effect. */
static int hub_assignment_event(app *a, const char *agency, int64_t seq, const char *kind,
				mc_time at, const char *actor, const json_t *p, json_t *r,
				mc_time now, const char **verdict, const char **vcode, char *vmsg,
				size_t vn, mc_err *e)
{
	const char *id = sget(r, "id");
	assign_copy x = { .found = 0 };
	int rc = st_task_assign_get(a->st, agency, id, assign_one, &x, e);
	if (rc == MC_ENOTFOUND) {
		char m[300];
		snprintf(m, sizeof m, "task %.100s was not assigned to %.40s", id, agency);
		verdict_set(verdict, vcode, vmsg, vn, "rejected", "task.not_found", m);
		return MC_OK;
	}
	if (rc)
		return rc;
	const json_t *t = json_object_get(p, "task");
	const char *text = sget(p, "text");
	const json_t *att = json_object_get(p, "attachments");
	if (strcmp(kind, "task.assigned") == 0) {
		/* The commune's node took it. */
		if (!x.delivered)
			x.delivered = at;
		rc = assign_save(a, agency, id, &x, now, e);
		if (!rc)
			rc = log_put(a, id, agency, agency, seq, at, actor, "", "received", "",
				     x.state, -1, "", NULL, "", e);
		*verdict = "applied";
		return rc;
	}
	if (strcmp(kind, "task.reviewed") == 0)
		return MC_OK; /* the hub's own review, as the commune applied it: stored */
	int act = strcmp(kind, "task.delegated") == 0 ? TASK_DELEGATE
		  : strncmp(kind, "task.", 5) == 0   ? task_action_parse(kind + 5)
						     : -1;
	if (act < 0 || !(task_actions[act].side & (TASK_SIDE_ASSIGNEE | TASK_SIDE_LEADER))) {
		verdict_set(verdict, vcode, vmsg, vn, "rejected", "task.wrong_side",
			    "a commune does not review a province task: the hub does");
		return MC_OK;
	}
	int from = task_state_parse(x.state), to = from;
	int k = task_next(from, act, task_actions[act].side, &to);
	if (k) {
		/* It crossed the hub's cancellation (or acceptance) on the way:
		 * kept in the history, the final state stands (docs/tasks.md). */
		rc = log_put(a, id, agency, agency, seq, at, actor, sget(p, "actor_name"),
			     task_action_name(act),
			     x.state, x.state,
			     json_is_integer(json_object_get(p, "percent"))
				     ? (int)json_integer_value(json_object_get(p, "percent"))
				     : -1,
			     text, json_is_array(att) ? att : NULL, "after_final", e);
		return rc; /* verdict: stored */
	}
	char from_name[24];
	snprintf(from_name, sizeof from_name, "%s", x.state);
	snprintf(x.state, sizeof x.state, "%s", task_state_name(to));
	if (act == TASK_PROGRESS && json_is_integer(json_object_get(p, "percent")))
		x.percent = (int)json_integer_value(json_object_get(p, "percent"));
	if (act == TASK_REPORT_DONE) {
		x.percent = 100;
		x.done = at;
	}
	if (act == TASK_DELEGATE) {
		snprintf(x.unit, sizeof x.unit, "%s", sget(t, "unit"));
		snprintf(x.officer, sizeof x.officer, "%s", sget(t, "officer"));
	}
	rc = assign_save(a, agency, id, &x, now, e);
	if (!rc)
		rc = log_put(a, id, agency, agency, seq, at, actor, sget(p, "actor_name"),
			     task_action_name(act),
			     from_name, x.state, act == TASK_PROGRESS ? x.percent : -1, text,
			     json_is_array(att) ? att : NULL, "", e);
	if (!rc)
		rc = hub_aggregate(a, r, 0, now, NULL, e);
	if (!rc)
		*verdict = "applied";
	return rc;
}

int app_hub_task_event(app *a, const char *agency, int64_t seq, const char *kind, const char *at,
		       const char *actor, const json_t *payload, mc_time now, const char **verdict,
		       const char **vcode, char *vmsg, size_t vmsg_size, mc_err *e)
{
	*verdict = "stored";
	*vcode = "";
	vmsg[0] = 0;
	const json_t *t = json_object_get(payload, "task");
	const char *id = sget(t, "id");
	json_t *atj = json_string(at ? at : "");
	mc_time when = iso_in(atj);
	json_decref(atj);
	if (!when)
		when = now;
	if (!json_is_object(t) || !*id) {
		verdict_set(verdict, vcode, vmsg, vmsg_size, "rejected", "task.bad_field",
			    "the event carries no task record");
		return MC_OK;
	}
	json_t *r = NULL;
	mc_err ig;
	int rc = rec_load(a, id, &r, &ig);
	if (rc && ig.code != MC_ENOTFOUND) {
		*e = ig;
		return rc;
	}
	if (!rc && strcmp(sget(r, "agency"), a->agency) == 0) {
		/* A province task this hub assigned. */
		rc = for_communes(r) && strcmp(sget(t, "origin"), "hub") == 0
			     ? hub_assignment_event(a, agency, seq, kind, when, actor, payload, r,
						    now, verdict, vcode, vmsg, vmsg_size, e)
			     : (verdict_set(verdict, vcode, vmsg, vmsg_size, "rejected",
					    "task.not_found", "the task is not one of this commune's"),
				MC_OK);
		json_decref(r);
		return rc;
	}
	/* A commune's own task: the hub keeps its record only if shared, and
	 * only from the commune that holds it. */
	if (strcmp(sget(t, "agency"), agency) != 0 || strcmp(sget(t, "origin"), "local") != 0 ||
	    (r && strcmp(sget(r, "agency"), agency) != 0)) {
		json_decref(r);
		if (strcmp(sget(t, "origin"), "hub") == 0) {
			verdict_set(verdict, vcode, vmsg, vmsg_size, "rejected", "task.not_found",
				    "the hub holds no such province task");
			return MC_OK;
		}
		verdict_set(verdict, vcode, vmsg, vmsg_size, "rejected", "task.not_here",
			    "the task is not held by this commune");
		return MC_OK;
	}
	json_decref(r);
	if (!json_is_true(json_object_get(t, "shared")))
		return MC_OK; /* stored: the commune's own business */
	json_t *copy = json_deep_copy(t);
	json_object_set_new(copy, "origin", json_string("commune"));
	rc = rec_put(a, copy, 0, now, &ig);
	json_decref(copy);
	if (rc && ig.code == MC_EINVAL) {
		verdict_set(verdict, vcode, vmsg, vmsg_size, "rejected", "task.bad_field",
			    mc_errmsg(&ig, 0));
		return MC_OK;
	}
	if (rc) {
		*e = ig;
		return rc;
	}
	const char *action = strcmp(kind, "task.assigned") == 0 ? "assign"
			     : strcmp(kind, "task.delegated") == 0 ? "delegate"
								   : kind + 5;
	const json_t *pc = json_object_get(payload, "percent");
	const json_t *att = json_object_get(payload, "attachments");
	rc = log_put(a, id, "", agency, seq, when, actor,
		     *sget(payload, "actor_name") ? sget(payload, "actor_name") : sget(t, "creator_name"),
		     action,
		     sget(payload, "from"),
		     strcmp(action, "assign") == 0 ? "assigned" : sget(payload, "to"),
		     json_is_integer(pc) ? (int)json_integer_value(pc) : -1,
		     *sget(payload, "reason") ? sget(payload, "reason") : sget(payload, "text"),
		     json_is_array(att) ? att : NULL, "", e);
	if (!rc)
		*verdict = "applied";
	return rc;
}

/* ---- on a node: what the province sends down ---- */

static int skip(int *skipped, mc_err *why, const char *vi, const char *en)
{
	*skipped = 1;
	fail2(why, MCE_TASK_BAD_FIELD, vi, en);
	return MC_OK;
}

/* A province task for this commune (task.assigned): its own to work. */
static int item_assigned(app *a, const json_t *body, int64_t cursor, const char *hash,
			 mc_time now, int64_t *seq, int *skipped, mc_err *why, mc_err *e)
{
	const json_t *t = json_object_get(body, "task");
	st_task row;
	rowbuf b;
	mc_err ig;
	int bad_rec = !json_is_object(t) || row_of_rec(t, &row, &b, &ig) != MC_OK;
	if (!bad_rec)
		rowbuf_release(&b);
	if (bad_rec || strcmp(sget(t, "origin"), "hub") != 0)
		return skip(skipped, why, "mục giao việc không hợp lệ",
			    "the task item is not a valid province task");
	if (strcmp(sget(t, "agency"), a->agency) != 0)
		return skip(skipped, why, "nhiệm vụ giao cho xã khác",
			    "the task is assigned to another commune");
	json_t *held = NULL;
	if (rec_load(a, sget(t, "id"), &held, &ig) == MC_OK) {
		json_decref(held);
		return skip(skipped, why, "đã có nhiệm vụ này", "this task is here already");
	}
	int rc = app_attach_want(a, json_object_get(t, "attachments"), now, &ig);
	if (rc == MC_EINVAL)
		return skip(skipped, why, "tệp đính kèm của nhiệm vụ không hợp lệ",
			    "the task's attachments are not valid");
	if (rc) {
		*e = ig;
		return rc;
	}
	json_t *r = json_deep_copy(t);
	json_t *p = json_pack("{s:O, s:{s:I, s:s}}", "task", r, "published", "cursor",
			      (json_int_t)cursor, "hash", hash);
	rc = ev_append(a->st, now, "hub", "task.assigned", NULL, p, seq, e);
	json_decref(p);
	if (!rc)
		rc = rec_put(a, r, *seq, now, e);
	if (!rc)
		rc = log_put(a, sget(r, "id"), "", a->agency, *seq, now, sget(r, "creator"),
			     sget(r, "creator_name"), "assign", "", "assigned", -1, "",
			     json_object_get(r, "attachments"), "", e);
	json_decref(r);
	return rc;
}

/* The province's review of this commune's work (task.reviewed). */
static int item_reviewed(app *a, const json_t *body, int64_t cursor, const char *hash,
			 mc_time now, int64_t *seq, int *skipped, mc_err *why, mc_err *e)
{
	const char *id = sget(body, "task"), *action = sget(body, "action");
	int act = task_action_parse(action);
	json_t *r = NULL;
	mc_err ig;
	if (act != TASK_ACCEPT && act != TASK_RETURN && act != TASK_CANCEL)
		return skip(skipped, why, "mục đánh giá không hợp lệ",
			    "the review item is not valid");
	if (rec_load(a, id, &r, &ig) != MC_OK)
		return skip(skipped, why, "không có nhiệm vụ được đánh giá",
			    "the task reviewed is not here");
	if (strcmp(sget(r, "origin"), "hub") != 0 || strcmp(sget(r, "agency"), a->agency) != 0) {
		json_decref(r);
		return skip(skipped, why, "nhiệm vụ không phải do tỉnh giao cho xã này",
			    "the task is not one the province assigned to this commune");
	}
	int from = task_state_parse(sget(r, "state")), to = from;
	if (task_next(from, act, TASK_SIDE_ASSIGNER, &to) != TASK_OK) {
		json_decref(r);
		return skip(skipped, why, "nhiệm vụ đang ở trạng thái không nhận được đánh giá này",
			    "the task's state does not take this review");
	}
	char from_name[24];
	snprintf(from_name, sizeof from_name, "%s", task_state_name(from));
	const char *reason = sget(body, "reason"), *text = sget(body, "text");
	json_object_set_new(r, "state", json_string(task_state_name(to)));
	if (task_state_final(to))
		tset(r, "closed_at", now);
	if (act != TASK_ACCEPT)
		json_object_set_new(r, "reason", json_string(reason));
	json_t *p = json_pack("{s:O, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:I, s:s}}", "task", r,
			      "action", action, "from", from_name, "to", task_state_name(to),
			      "reason", reason, "text", text, "by", sget(body, "by"), "by_name",
			      sget(body, "by_name"), "published", "cursor", (json_int_t)cursor,
			      "hash", hash);
	int rc = ev_append(a->st, now, "hub", "task.reviewed", NULL, p, seq, e);
	json_decref(p);
	if (!rc)
		rc = rec_put(a, r, *seq, now, e);
	if (!rc)
		rc = log_put(a, id, "", a->agency, *seq, now, sget(body, "by"),
			     sget(body, "by_name"), action, from_name, task_state_name(to), -1,
			     *reason ? reason : text, NULL, "", e);
	json_decref(r);
	return rc;
}

int app_task_item(app *a, const char *kind, const json_t *body, int64_t cursor, const char *hash,
		  mc_time now, int64_t *seq, int *skipped, mc_err *why, mc_err *e)
{
	*seq = 0;
	*skipped = 0;
	if (a->hub)
		return skip(skipped, why, "máy chủ tỉnh không nhận nhiệm vụ từ tỉnh",
			    "a hub takes no tasks from a hub");
	if (strcmp(kind, "task.assigned") == 0)
		return item_assigned(a, body, cursor, hash, now, seq, skipped, why, e);
	if (strcmp(kind, "task.reviewed") == 0)
		return item_reviewed(a, body, cursor, hash, now, seq, skipped, why, e);
	return skip(skipped, why, "phiên bản này không biết loại mục này",
		    "this version does not know the item's kind");
}

/* ---- the sweep: recurrence and reminders ---- */

static int collect_rec(void *p, const st_task *t)
{
	json_array_append_new(p, rec_of_row(t));
	return 0;
}

/* The next instance of each series whose current one was accepted, or
 * whose next period began. A series whose latest instance was cancelled
 * has ended. */
static int sweep_series(app *a, mc_time now, int *made, mc_err *e)
{
	json_t *latest = json_array();
	int rc = st_task_series_latest(a->st, a->agency, collect_rec, latest, e);
	size_t i;
	json_t *r;
	json_array_foreach(latest, i, r)
	{
		if (rc)
			break;
		int state = task_state_parse(sget(r, "state"));
		const json_t *rec = json_object_get(r, "recurrence");
		int every = task_recur_parse(sget(rec, "every"));
		int32_t cur, next;
		mc_err ig;
		if (state == TASK_CANCELLED || every <= 0 ||
		    cal_parse_date(sget(r, "nominal"), &cur, &ig) ||
		    task_recur_next(every, (int)json_integer_value(json_object_get(rec, "day")), cur,
				    &next, &ig))
			continue;
		if (state != TASK_ACCEPTED && now < cal_time_of(task_period_start(every, next), 0))
			continue;
		int one = 0;
		rc = st_begin(a->st, e);
		if (!rc)
			rc = spawn_next(a, "system", "Hệ thống", r, now, &one, e);
		rc = st_end(a->st, rc, e);
		*made += one;
	}
	json_decref(latest);
	return rc;
}

typedef struct {
	st_user *v;
	size_t n, cap;
	const char *agency;
} users;

static int user_one(void *p, const st_user *u)
{
	users *l = p;
	if (u->disabled || strcmp(u->agency, l->agency) != 0)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = mc_xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n] = *u;
	sodium_memzero(l->v[l->n].pw_hash, sizeof l->v[l->n].pw_hash);
	l->n++;
	return 0;
}

static const st_user *user_find(const users *l, const char *login)
{
	for (size_t i = 0; *login && i < l->n; i++)
		if (strcmp(l->v[i].login, login) == 0)
			return &l->v[i];
	return NULL;
}

static void add_login(json_t *to, const users *us, const char *login)
{
	if (user_find(us, login) && !in_list(to, login))
		json_array_append_new(to, json_string(login));
}

/* Text of at most max bytes, cut at a character. OUT: out (max + 4). */
static void clip(const char *s, size_t max, char *out)
{
	size_t n = strlen(s);
	if (n <= max) {
		memcpy(out, s, n + 1);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	memcpy(out, s, max);
	memcpy(out + max, "…", sizeof "…");
}

static int sweep_reminders(app *a, mc_time now, app_task_sweep_stats *stats, mc_err *e)
{
	mc_time near;
	int rc = dl_near_due_before(&a->sched, &a->hours, now, &near, e);
	if (rc)
		return rc;
	json_t *due = json_array();
	st_task_filter f = { .agency = a->agency, .see_all = 1, .open_only = 1,
			     .due_before = near, .now = now };
	users us = { .agency = a->agency };
	rc = st_task_list(a->st, &f, collect_rec, due, NULL, e);
	if (!rc)
		rc = st_user_list(a->st, user_one, &us, e);
	json_t *notes = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(due, i, r)
	{
		if (rc)
			break;
		int state = task_state_parse(sget(r, "state"));
		mc_time d = tget(r, "due_at"), done = tget(r, "done_at");
		int over = task_overdue(state, d, done, now);
		if (!over && (state == TASK_REPORTED_DONE || d < now))
			continue;
		const char *kind = over ? "task_overdue" : "task_near_due";
		int seen = 0;
		rc = st_note_seen(a->st, sget(r, "id"), kind, d, &seen, e);
		if (rc || seen)
			continue;
		json_t *to = json_array();
		add_login(to, &us, sget(r, "officer"));
		size_t k;
		json_t *c;
		json_array_foreach(json_object_get(r, "coworkers"), k, c)
			add_login(to, &us, json_string_value(c));
		if (over)
			add_login(to, &us, sget(r, "creator"));
		if (over || json_array_size(to) == 0)
			for (size_t u = 0; u < us.n; u++)
				if (us.v[u].role == ROLE_LEADER)
					add_login(to, &us, us.v[u].login);
		char title[160], when[17], body[1200];
		const st_user *holder = user_find(&us, sget(r, "officer"));
		clip(sget(r, "title"), 120, title);
		cal_format_datetime(d, when);
		snprintf(body, sizeof body, "%s — hạn hoàn thành %.2s/%.2s/%.4s %.5s. Nguồn: %.300s. "
			 "Chủ trì: %s.", sget(r, "id"), when + 8, when + 5, when, when + 11,
			 sget(json_object_get(r, "source"), "ref"),
			 holder ? holder->name : "chưa giao cán bộ");
		json_array_foreach(to, k, c)
			json_array_append_new(
				notes, json_pack("{s:s, s:s, s:s, s:I, s:s+, s:s}", "login",
						 json_string_value(c), "kind", kind, "task",
						 sget(r, "id"), "occasion", (json_int_t)d, "title",
						 over ? "Nhiệm vụ quá hạn: " : "Nhiệm vụ sắp đến hạn: ",
						 title, "body", body));
		json_decref(to);
	}
	if (!rc && json_array_size(notes)) {
		rc = st_begin(a->st, e);
		json_array_foreach(notes, i, r)
		{
			if (rc)
				break;
			st_note n = { .agency = a->agency, .login = sget(r, "login"),
				      .kind = sget(r, "kind"), .dossier = sget(r, "task"),
				      .occasion = json_integer_value(json_object_get(r, "occasion")),
				      .created_at = now, .title = sget(r, "title"),
				      .body = sget(r, "body") };
			int added = 0;
			rc = st_note_put(a->st, &n, &added, e);
			if (added && strcmp(n.kind, "task_overdue") == 0)
				stats->overdue++;
			else if (added)
				stats->near_due++;
		}
		rc = st_end(a->st, rc, e);
	}
	free(us.v);
	json_decref(notes);
	json_decref(due);
	return rc;
}

int app_task_sweep(app *a, mc_time now, app_task_sweep_stats *stats, mc_err *e)
{
	app_task_sweep_stats s = { 0 };
	int rc = sweep_series(a, now, &s.made, e);
	/* A hub's officers have no notification bell: it reminds nobody. */
	if (!rc && !a->hub)
		rc = sweep_reminders(a, now, &s, e);
	if (stats)
		*stats = s;
	return rc;
}
