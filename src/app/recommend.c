/*
 * recommend.c - recommendations (kiến nghị) from the communes to the
 * province: filing on a commune's node, routing and answering on the hub,
 * each side applying the other's steps as they arrive with sync, and what
 * both show of them (recommend.h; docs/recommendations.md).
 *
 * A record is kept as the JSON the API answers with (the row's body), with
 * the columns the lists filter on beside it; every step appends a row to
 * its timeline. The record's rules are core/rec.c's: rec_apply for a side's
 * own step, rec_merge for the other side's.
 */
#include "app/app_int.h"
#include "app/recommend.h"

#include <math.h>

#include "app/attach.h"
#include "app/units.h"
#include "core/rec.h"
#include "core/txt.h"
#include "store/ev.h"
#include "store/st_rec.h"
#include "store/st_sync.h"
#include "sync/batch.h"

#define STREAM "recommendations"
#define SETTING_DAYS "rec_answer_days"

/* ---- small helpers ---- */

static int side_of(const app *a)
{
	return a->hub ? REC_PROVINCE : REC_COMMUNE;
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static mc_time jtime(const json_t *o, const char *key)
{
	return app_iso_time(json_string_value(json_object_get(o, key)));
}

static json_t *who_json(const app_actor *by)
{
	json_t *w = json_pack("{s:s, s:s}", "login", by->login, "name", by->name);
	if (by->unit[0])
		json_object_set_new(w, "unit", json_string(by->unit));
	return w;
}

static json_t *unit_json(const app_unit *u)
{
	return json_pack("{s:s, s:s}", "code", u->code, "name", u->name);
}

static char *dump(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
}

/* The working days from routing to the answer's due on this hub (the
 * default while the setting is unset). OUT: *days. */
static int answer_days(app *a, int *days, mc_err *e)
{
	char *v = NULL;
	*days = APP_REC_ANSWER_DAYS;
	int rc = st_setting_get(a->st, SETTING_DAYS, &v, e);
	if (rc == MC_ENOTFOUND)
		return MC_OK;
	if (!rc) {
		long x = strtol(v, NULL, 10);
		if (x >= 1 && x <= APP_REC_ANSWER_DAYS_MAX)
			*days = (int)x;
	}
	free(v);
	return rc;
}

/* The answer's due for a round that starts at t, with this node's
 * calendar. */
static int answer_due(app *a, mc_time t, mc_time *due, mc_err *e)
{
	int days;
	int rc = answer_days(a, &days, e);
	return rc ? rc : dl_due(&a->sched, &a->hours, t, days, DL_WORKING_DAYS, due, e);
}

/* The rules' view of a record. */
static rec_rec core_of(const json_t *body)
{
	rec_rec r;
	memset(&r, 0, sizeof r);
	r.state = rec_state_parse(jstr(body, "state"));
	r.round = (int)json_integer_value(json_object_get(body, "round"));
	snprintf(r.department, sizeof r.department, "%s",
		 jstr(json_object_get(body, "department"), "code"));
	return r;
}

/* The entry of rounds for round n, or NULL. */
static json_t *round_of(const json_t *body, int n)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(body, "rounds"), i, r)
		if (json_integer_value(json_object_get(r, "round")) == n)
			return r;
	return NULL;
}

static json_t *round_last(const json_t *body)
{
	const json_t *rs = json_object_get(body, "rounds");
	size_t n = json_array_size(rs);
	return n ? json_array_get(rs, n - 1) : NULL;
}

/* Checks a text field and gives it NFC-normalised (caller frees). */
static int text_in(const char *name, const char *s, size_t max, int required, int multiline,
		   char **out, mc_err *e)
{
	*out = NULL;
	int rc = txt_check_field(name, s, max, required, multiline, e);
	if (rc)
		return rc;
	*out = txt_nfc(s ? s : "");
	if (!*out)
		return mc_fail(e, MCE_TEXT_BAD_UTF8, "%s không phải UTF-8 hợp lệ",
			       "%s is not valid UTF-8", name);
	return MC_OK;
}

/* A department of the province: an active unit of scope province. */
static int department_of(app *a, const char *name, const char *code, app_unit *u, mc_err *e)
{
	if (!code || !*code)
		return mc_fail(e, MCE_REC_INCOMPLETE, "chưa chọn sở, ngành (%s)",
			       "the department (%s) is required", name);
	int rc = app_unit_get(a, code, u, e);
	if (!rc && strcmp(u->scope, "province") != 0)
		rc = mc_fail(e, MCE_UNIT_UNKNOWN, "'%.40s' không phải sở, ngành của tỉnh",
			     "'%.40s' is not a department of the province", code);
	return rc;
}

/* ---- the row ---- */

/* Writes body (its columns and itself) as agency's recommendation. */
static int save(app *a, const char *agency, json_t *body, mc_time now, mc_err *e)
{
	rec_rec c = core_of(body);
	json_object_set_new(body, "state_label", json_string(rec_state_label_vi(c.state)));
	const json_t *last = round_last(body);
	mc_time ended = jtime(body, "closed_at");
	if (c.state == REC_WITHDRAWN)
		ended = jtime(body, "withdrawn_at");
	sb f;
	sb_init(&f, 64 * 1024);
	sb_addf(&f, "%s %s %s %s %s", jstr(body, "id"), jstr(body, "topic"), jstr(body, "content"),
		jstr(body, "field"), jstr(body, "agency_name"));
	char *fold = sb_err(&f) ? NULL : txt_fold(sb_str(&f));
	sb_release(&f);
	char *text = dump(body);
	st_rec r = {
		.agency = agency, .id = jstr(body, "id"), .state = rec_state_name(c.state),
		.round = c.round, .concerns = jstr(json_object_get(body, "concerns"), "code"),
		.department = c.department, .field = jstr(body, "field"),
		.filed_at = jtime(body, "filed_at"),
		.routed_at = last ? jtime(last, "started_at") : 0,
		.due_at = last ? jtime(last, "due_at") : 0,
		.answered_at = last ? jtime(last, "answered_at") : 0, .ended_at = ended,
		.fold = fold ? fold : "", .body = text, .updated_at = now,
	};
	int rc = text ? st_rec_put(a->st, &r, e)
		      : mc_fail(e, MCE_INTERNAL, "không mã hoá được kiến nghị",
				"cannot encode the recommendation");
	free(fold);
	free(text);
	return rc;
}

typedef struct {
	char agency[64];
	json_t *body;
} loaded;

static int load_one(void *p, const st_rec *r)
{
	loaded *l = p;
	json_error_t je;
	snprintf(l->agency, sizeof l->agency, "%s", r->agency);
	l->body = json_loads(r->body, 0, &je);
	return 0;
}

/* OUT: l (release l->body). */
static int load(app *a, const char *id, loaded *l, mc_err *e)
{
	memset(l, 0, sizeof *l);
	int rc = st_rec_get(a->st, id ? id : "", load_one, l, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_REC_NOT_FOUND, "không có kiến nghị '%.120s'",
			       "no recommendation '%.120s'", id ? id : "");
	if (!rc && !json_is_object(l->body))
		rc = mc_fail(e, MCE_CORRUPT, "bản ghi kiến nghị '%.120s' hỏng",
			     "the record of recommendation '%.120s' is damaged", id);
	if (rc) {
		json_decref(l->body);
		l->body = NULL;
	}
	return rc;
}

static int add_step(app *a, const char *agency, const char *id, const char *origin, int action,
		    int side, int round, mc_time at, const char *actor, int64_t seq, json_t *step,
		    mc_err *e)
{
	char *text = dump(step);
	st_rec_step p = { .agency = agency, .id = id, .origin = origin,
			  .action = rec_actions[action].name, .side = rec_side_name(side),
			  .actor = actor, .body = text ? text : "{}", .round = round, .seq = seq,
			  .at = at };
	int rc = st_rec_step_add(a->st, &p, NULL, e);
	free(text);
	return rc;
}

/* ---- reading ---- */

/* On a hub, leaders, administrators and supervisors see every commune's
 * recommendations; the other officers those routed to their unit. */
static int sees_all(const app *a, const app_actor *by)
{
	return !a->hub || (by->role & (ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR));
}

static int may_see(const app *a, const app_actor *by, const json_t *body)
{
	if (sees_all(a, by))
		return 1;
	const char *d = jstr(json_object_get(body, "department"), "code");
	return by->unit[0] && strcmp(d, by->unit) == 0;
}

static json_t *stage_json(app *a, const char *name, mc_time from, mc_time to, int running)
{
	return json_pack("{s:s, s:o, s:o, s:I, s:b}", "stage", name, "from", app_json_time(from),
			 "to", running ? json_null() : app_json_time(to), "working_secs",
			 (json_int_t)dl_working_secs(&a->sched, &a->hours, from, to), "running",
			 running);
}

/*
 * Adds to body what only now and this node's calendar say: each stage's
 * working time ("times": filed to routed, routed (or reopened) to answered
 * for the current round, answered to closed), each round's, and whether the
 * answer is overdue.
 */
static void add_times(app *a, json_t *body, mc_time now)
{
	rec_rec c = core_of(body);
	mc_time filed = jtime(body, "filed_at");
	mc_time stop = c.state == REC_WITHDRAWN ? jtime(body, "withdrawn_at") : now;
	if (stop < filed)
		stop = filed;
	json_t *rounds = json_object_get(body, "rounds");
	json_t *first = json_array_get(rounds, 0), *last = round_last(body);
	json_t *times = json_array();
	mc_time r1 = first ? jtime(first, "started_at") : 0;
	json_array_append_new(times, stage_json(a, "route", filed, r1 ? r1 : stop,
						!r1 && c.state == REC_FILED));
	int overdue = 0;
	size_t i;
	json_t *r;
	json_array_foreach(rounds, i, r) {
		mc_time t0 = jtime(r, "started_at"), ans = jtime(r, "answered_at");
		mc_time due = jtime(r, "due_at");
		int current = r == last, waiting = !ans && current && c.state == REC_ROUTED;
		mc_time to = ans ? ans : (current ? stop : t0);
		json_object_set_new(r, "working_secs",
				    json_integer(dl_working_secs(&a->sched, &a->hours, t0, to)));
		int late = waiting && due && now > due;
		json_object_set_new(r, "overdue", json_boolean(late));
		overdue |= late;
		if (!current)
			continue;
		json_array_append_new(times, stage_json(a, "answer", t0, to, waiting));
		mc_time closed = jtime(body, "closed_at");
		if (ans && c.state == REC_CLOSED && closed)
			json_array_append_new(times, stage_json(a, "close", ans, closed, 0));
		else if (ans && c.state == REC_ANSWERED)
			json_array_append_new(times, stage_json(a, "close", ans, now, 1));
	}
	json_object_set_new(body, "times", times);
	json_object_set_new(body, "overdue", json_boolean(overdue));
	json_object_set_new(body, "day_secs", json_integer(dl_day_secs(&a->hours)));
}

static int step_one(void *p, const st_rec_step *s)
{
	json_error_t je;
	json_t *b = json_loads(s->body, 0, &je);
	if (!json_is_object(b)) {
		json_decref(b);
		b = json_object();
	}
	int act = rec_action_parse(s->action);
	json_object_set_new(b, "n", json_integer(s->n));
	json_object_set_new(b, "action", json_string(s->action));
	json_object_set_new(b, "label", json_string(act >= 0 ? rec_actions[act].label_vi : ""));
	json_object_set_new(b, "side", json_string(s->side));
	json_object_set_new(b, "round", json_integer(s->round));
	json_object_set_new(b, "at", app_json_time(s->at));
	if (s->seq)
		json_object_set_new(b, "seq", json_integer(s->seq));
	else
		json_object_del(b, "seq");
	json_object_del(b, "id");
	json_array_append_new(p, b);
	return 0;
}

/* The steps by may take on body now (the buttons to show). */
static json_t *actions_json(const app *a, const app_actor *by, const json_t *body)
{
	json_t *out = json_array();
	rec_rec c = core_of(body), next;
	for (int i = REC_FILE + 1; i < REC_N_ACTIONS; i++) {
		rec_req q = { .action = i, .side = side_of(a), .role = by->role, .unit = by->unit,
			      .department = "?", .reason = "?", .answer = "?" };
		mc_err ig;
		if (rec_apply(&c, &q, &next, &ig) == MC_OK)
			json_array_append_new(out, json_string(rec_actions[i].name));
	}
	return out;
}

int app_rec_get(app *a, const app_actor *by, const char *id, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	loaded l;
	int rc = load(a, id, &l, e);
	if (rc)
		return rc;
	if (!may_see(a, by, l.body)) {
		json_decref(l.body);
		return mc_fail(e, MCE_ROLE,
			       "kiến nghị này không thuộc sở, ngành của bạn",
			       "this recommendation is not with your department");
	}
	json_t *timeline = json_array();
	rc = st_rec_steps(a->st, id, step_one, timeline, e);
	if (rc) {
		json_decref(timeline);
		json_decref(l.body);
		return rc;
	}
	add_times(a, l.body, now);
	json_object_set_new(l.body, "timeline", timeline);
	json_object_set_new(l.body, "actions", actions_json(a, by, l.body));
	*out = l.body;
	return MC_OK;
}

/* ---- filing ---- */

int app_rec_file(app *a, const app_actor *by, const app_rec_new *q, mc_time now, json_t **out,
		 mc_err *e)
{
	*out = NULL;
	rec_rec cur = { .state = -1 }, next;
	rec_req rq = { .action = REC_FILE, .side = side_of(a), .role = by->role, .unit = by->unit };
	int rc = rec_apply(&cur, &rq, &next, e);
	if (rc)
		return rc;
	char *topic = NULL, *content = NULL, *field = NULL;
	app_unit u;
	json_t *att = NULL, *body = NULL;
	rc = text_in("topic", q->topic, APP_REC_TOPIC_MAX, 1, 0, &topic, e);
	if (!rc)
		rc = text_in("content", q->content, APP_REC_CONTENT_MAX, 1, 1, &content, e);
	if (!rc)
		rc = text_in("field", q->field, APP_REC_FIELD_MAX, 0, 0, &field, e);
	if (!rc)
		rc = department_of(a, "concerns", q->concerns, &u, e);
	if (!rc)
		rc = app_attach_resolve(a, q->attachments, &att, e);
	if (!rc)
		rc = st_begin(a->st, e);
	if (rc)
		goto out;
	int y, m, d;
	cal_civil_from_days(cal_local_day(now), &y, &m, &d);
	int64_t n = 0, seq = 0;
	char id[128], origin[64];
	rc = st_rec_serial_next(a->st, a->agency, y, &n, e);
	snprintf(id, sizeof id, "%s/KN-%04d-%04lld", a->agency, y, (long long)n);
	body = json_pack("{s:s, s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:o, s:O, s:o, s:o, s:s, s:i, "
			 "s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:n, s:[]}",
			 "id", id, "agency", a->agency, "agency_name", a->agency_name, "year", y,
			 "number", (json_int_t)n, "topic", topic, "content", content, "field", field,
			 "concerns", unit_json(&u), "attachments", att, "filed_by", who_json(by),
			 "filed_at", app_json_time(now), "state", rec_state_name(REC_FILED), "round",
			 1, "department", "routed_at", "due_at", "answer", "answered_at", "closed_at",
			 "withdrawn_at", "reason", "rounds");
	if (!rc)
		rc = save(a, a->agency, body, now, e);
	json_t *p = json_pack("{s:s, s:s, s:i, s:o, s:O}", "action", "file", "id", id, "round", 1,
			      "by", who_json(by), "recommendation", body);
	if (!rc)
		rc = ev_append(a->st, now, by->login, rec_actions[REC_FILE].event, id, p, &seq, e);
	json_decref(p);
	json_t *step = json_pack("{s:o}", "by", who_json(by));
	snprintf(origin, sizeof origin, "self:%lld", (long long)seq);
	if (!rc)
		rc = add_step(a, a->agency, id, origin, REC_FILE, REC_COMMUNE, 1, now, by->login, seq,
			      step, e);
	json_decref(step);
	/* The answer is read in the same transaction: a read that fails undoes
	 * the write, so an error never hides a recommendation that was filed. */
	if (!rc)
		rc = app_rec_get(a, by, id, now, out, e);
	rc = st_end(a->st, rc, e);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
out:
	free(topic);
	free(content);
	free(field);
	json_decref(att);
	json_decref(body);
	return rc;
}

/* ---- steps ---- */

/* Puts one of the province's steps in the commune's recommendations
 * stream. */
static int publish(app *a, const char *agency, const char *kind, json_t *item, const char *actor,
		   mc_time now, mc_err *e)
{
	char *bs = dump(item);
	if (!bs)
		return mc_fail(e, MCE_INTERNAL, "không mã hoá được bước của kiến nghị",
			       "cannot encode the recommendation's step");
	char hash[65];
	batch_sha256_hex(bs, strlen(bs), hash);
	st_hub_item it = { .agency = agency, .stream = STREAM, .kind = kind, .hash = hash,
			   .body = bs, .actor = actor, .at = now };
	int rc = st_hub_outbox_put(a->st, &it, NULL, e);
	free(bs);
	return rc;
}

/* The step's own texts, checked. */
typedef struct {
	char *reason, *comment, *answer, *document;
	json_t *attachments;
	app_unit dept;
} step_in;

static void step_in_release(step_in *s)
{
	free(s->reason);
	free(s->comment);
	free(s->answer);
	free(s->document);
	json_decref(s->attachments);
}

static int step_read(app *a, int action, const app_rec_step *q, step_in *s, mc_err *e)
{
	memset(s, 0, sizeof *s);
	unsigned needs = rec_actions[action].needs;
	int rc = text_in("reason", q->reason, APP_REC_REASON_MAX, 0, 1, &s->reason, e);
	if (!rc)
		rc = text_in("comment", q->comment, APP_REC_REASON_MAX, 0, 1, &s->comment, e);
	if (!rc)
		rc = text_in("answer", q->answer, APP_REC_ANSWER_MAX, 0, 1, &s->answer, e);
	if (!rc)
		rc = text_in("document", q->document, APP_REC_DOCUMENT_MAX, 0, 0, &s->document, e);
	if (!rc && (needs & REC_NEED_DEPARTMENT))
		rc = department_of(a, "department", q->department, &s->dept, e);
	if (!rc)
		rc = app_attach_resolve(a, q->attachments, &s->attachments, e);
	return rc;
}

static void set_text(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, s && *s ? json_string(s) : json_null());
}

/* The province's step on body at now (hub), and the item that tells the
 * commune. OUT: *item. */
static int province_step(app *a, const app_actor *by, int action, const rec_rec *next,
			 const step_in *s, json_t *body, mc_time now, json_t *item, mc_err *e)
{
	json_t *last = round_last(body);
	if (action == REC_ROUTE) {
		mc_time due;
		int rc = answer_due(a, now, &due, e);
		if (rc)
			return rc;
		json_object_set_new(body, "department", unit_json(&s->dept));
		json_object_set_new(body, "routed_at", app_json_time(now));
		json_object_set_new(body, "due_at", app_json_time(due));
		last = json_pack("{s:i, s:o, s:o, s:o, s:n, s:n}", "round", next->round,
				 "department", unit_json(&s->dept), "started_at", app_json_time(now),
				 "due_at", app_json_time(due), "answered_at", "answer");
		json_array_append_new(json_object_get(body, "rounds"), last);
	} else if (action == REC_REROUTE) {
		json_object_set_new(body, "department", unit_json(&s->dept));
		if (last)
			json_object_set_new(last, "department", unit_json(&s->dept));
	} else { /* answer */
		json_t *ans = json_pack("{s:s, s:o, s:O, s:o, s:o}", "text", s->answer, "document",
					s->document && *s->document ? json_string(s->document)
								    : json_null(),
					"attachments", s->attachments, "by", who_json(by), "at",
					app_json_time(now));
		json_object_set(body, "answer", ans);
		json_object_set_new(body, "answered_at", app_json_time(now));
		if (last) {
			json_object_set_new(last, "answered_at", app_json_time(now));
			json_object_set(last, "answer", ans);
		}
		json_object_set_new(item, "answer", ans);
		return MC_OK;
	}
	json_object_set(item, "department", json_object_get(body, "department"));
	json_object_set(item, "routed_at", json_object_get(last, "started_at"));
	json_object_set(item, "due_at", json_object_get(last, "due_at"));
	return MC_OK;
}

/* The commune's step on body at now (its node). */
static void commune_step(int action, const rec_rec *next, const step_in *s, json_t *body,
			 mc_time now)
{
	if (action == REC_CLOSE) {
		json_object_set_new(body, "closed_at", app_json_time(now));
	} else if (action == REC_WITHDRAW) {
		json_object_set_new(body, "withdrawn_at", app_json_time(now));
		set_text(body, "reason", s->reason);
	} else { /* reopen: back to the department, a new round; the hub sets its due */
		set_text(body, "reason", s->reason);
		json_object_set_new(body, "routed_at", app_json_time(now));
		json_object_set_new(body, "due_at", json_null());
		json_object_set_new(body, "answer", json_null());
		json_object_set_new(body, "answered_at", json_null());
		json_object_set_new(body, "closed_at", json_null());
		json_array_append_new(
			json_object_get(body, "rounds"),
			json_pack("{s:i, s:O, s:o, s:n, s:n, s:n}", "round", next->round,
				  "department", json_object_get(body, "department"), "started_at",
				  app_json_time(now), "due_at", "answered_at", "answer"));
	}
}

int app_rec_act(app *a, const app_actor *by, const char *id, const char *name,
		const app_rec_step *q, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	int action = rec_action_parse(name);
	if (action <= REC_FILE)
		return mc_fail(e, MCE_REC_UNKNOWN_ACTION,
			       "không có thao tác '%.40s' với kiến nghị (route, reroute, answer, close, reopen, withdraw)",
			       "no action '%.40s' on a recommendation (route, reroute, answer, close, reopen, withdraw)",
			       name ? name : "");
	loaded l = { .body = NULL };
	step_in s;
	memset(&s, 0, sizeof s);
	json_t *item = NULL, *step = NULL, *p = NULL;
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = load(a, id, &l, e);
	rec_rec cur, next;
	if (!rc) {
		cur = core_of(l.body);
		rec_req rq = { .action = action, .side = side_of(a), .role = by->role,
			       .unit = by->unit, .department = q->department, .reason = q->reason,
			       .answer = q->answer };
		rc = rec_apply(&cur, &rq, &next, e);
	}
	if (!rc)
		rc = step_read(a, action, q, &s, e);
	if (rc)
		goto end;
	json_object_set_new(l.body, "state", json_string(rec_state_name(next.state)));
	json_object_set_new(l.body, "round", json_integer(next.round));
	step = json_pack("{s:o}", "by", who_json(by));
	if (s.reason && *s.reason)
		json_object_set_new(step, "reason", json_string(s.reason));
	if (s.comment && *s.comment)
		json_object_set_new(step, "comment", json_string(s.comment));
	if (side_of(a) == REC_PROVINCE) {
		item = json_pack("{s:s, s:s, s:i, s:o, s:o}", "id", id, "action", name, "round",
				 next.round, "at", app_json_time(now), "by", who_json(by));
		json_object_update(item, step); /* reason, comment */
		rc = province_step(a, by, action, &next, &s, l.body, now, item, e);
		json_object_update_missing(step, item);
		json_object_del(step, "id");
		json_object_del(step, "action");
		json_object_del(step, "round");
		json_object_del(step, "at");
	} else {
		commune_step(action, &next, &s, l.body, now);
		if (action == REC_REOPEN)
			json_object_set(step, "department", json_object_get(l.body, "department"));
	}
	if (!rc)
		rc = save(a, l.agency, l.body, now, e);
	p = json_pack("{s:s, s:s, s:i, s:O, s:O}", "action", name, "id", id, "round", next.round,
		      "step", step, "recommendation", l.body);
	int64_t seq = 0;
	if (!rc)
		rc = ev_append(a->st, now, by->login, rec_actions[action].event, id, p, &seq, e);
	if (item && !rc) {
		json_object_set_new(item, "seq", json_integer(seq));
		rc = publish(a, l.agency, rec_actions[action].event, item, by->login, now, e);
	}
	char origin[64];
	snprintf(origin, sizeof origin, "self:%lld", (long long)seq);
	if (!rc)
		rc = add_step(a, l.agency, id, origin, action, side_of(a), next.round, now,
			      by->login, seq, step, e);
	if (!rc)
		rc = app_rec_get(a, by, id, now, out, e); /* in the transaction, as filing */
end:
	rc = st_end(a->st, rc, e);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(l.body);
	json_decref(item);
	json_decref(step);
	json_decref(p);
	step_in_release(&s);
	return rc;
}

/* ---- the list and the board ---- */

static int filter_read(app *a, const app_actor *by, const app_rec_filter *f, mc_time now,
		       st_rec_filter *sf, char **fold, mc_err *e)
{
	memset(sf, 0, sizeof *sf);
	*fold = NULL;
	if (f->state && *f->state && strcmp(f->state, "open") != 0 && rec_state_parse(f->state) < 0)
		return mc_fail(e, MCE_REC_BAD_FIELD,
			       "state: filed, routed, answered, closed, withdrawn hoặc open, không phải '%.40s'",
			       "state: filed, routed, answered, closed, withdrawn or open, not '%.40s'",
			       f->state);
	int32_t day;
	if (f->from && *f->from) {
		if (cal_parse_date(f->from, &day, e))
			return mc_fail(e, MCE_REC_BAD_FIELD, "from: %1$s%2$.0s", "from: %2$s%1$.0s",
				       mc_errmsg(e, 1), mc_errmsg(e, 0));
		sf->from = cal_time_of(day, 0);
	}
	if (f->to && *f->to) {
		if (cal_parse_date(f->to, &day, e))
			return mc_fail(e, MCE_REC_BAD_FIELD, "to: %1$s%2$.0s", "to: %2$s%1$.0s",
				       mc_errmsg(e, 1), mc_errmsg(e, 0));
		sf->to = cal_time_of(day + 1, 0);
	}
	if (f->q && *f->q) {
		if (strlen(f->q) > 200 || !(*fold = txt_fold(f->q)))
			return mc_fail(e, MCE_REC_BAD_FIELD, "q: tối đa 200 byte văn bản UTF-8",
				       "q: at most 200 bytes of UTF-8 text");
		sf->fold = *fold;
	}
	sf->state = f->state;
	sf->department = f->department;
	sf->agency = f->agency;
	sf->field = f->field;
	sf->due_before = f->overdue ? now : 0;
	/* Beyond the province's overseers, a hub officer sees the
	 * recommendations with their own department. */
	if (!sees_all(a, by)) {
		if (f->department && *f->department && strcmp(f->department, by->unit) != 0)
			sf->department = "\x01"; /* nothing */
		else
			sf->department = by->unit[0] ? by->unit : "\x01";
	}
	return MC_OK;
}

/* What a list shows of a record. */
static json_t *summary(app *a, json_t *body, mc_time now)
{
	add_times(a, body, now);
	json_object_del(body, "content");
	json_object_del(body, "rounds");
	json_t *ans = json_object_get(body, "answer");
	if (json_is_object(ans))
		json_object_del(ans, "text");
	return body;
}

typedef struct {
	app *a;
	mc_time now;
	json_t *items;
} list_ctx;

static int list_one(void *p, const st_rec *r)
{
	list_ctx *c = p;
	json_error_t je;
	json_t *b = json_loads(r->body, 0, &je);
	if (json_is_object(b))
		json_array_append_new(c->items, summary(c->a, b, c->now));
	else
		json_decref(b);
	return 0;
}

int app_rec_list(app *a, const app_actor *by, const app_rec_filter *f, mc_time now,
		 json_t **out, mc_err *e)
{
	*out = NULL;
	int limit = f->limit ? f->limit : 50;
	if (limit < 1 || limit > APP_REC_LIST_MAX || f->offset < 0)
		return mc_fail(e, MCE_REC_BAD_FIELD, "limit từ 1 đến %d, offset không âm",
			       "limit from 1 to %d, offset not negative", APP_REC_LIST_MAX);
	st_rec_filter sf;
	char *fold;
	int rc = filter_read(a, by, f, now, &sf, &fold, e);
	if (rc)
		return rc;
	sf.limit = limit;
	sf.offset = f->offset;
	list_ctx c = { a, now, json_array() };
	int64_t total = 0;
	rc = st_rec_list(a->st, &sf, list_one, &c, &total, e);
	free(fold);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i, s:i}", "items", c.items, "total", (json_int_t)total,
			 "offset", f->offset, "limit", limit, "day_secs", dl_day_secs(&a->hours));
	return MC_OK;
}

/* ---- the board ---- */

typedef struct {
	app *a;
	mc_time now;
	json_t *departments, *communes, *matrix; /* objects keyed by code, agency, dept\tagency */
	json_t *overdue;                         /* array of summaries */
	int64_t counts[REC_N_STATES], open, late, answered_rounds;
	double answer_secs;
} board_ctx;

static json_t *entry(json_t *map, const char *key, json_t *(*make)(const char *))
{
	json_t *o = json_object_get(map, key);
	if (!o) {
		o = make(key);
		json_object_set_new(map, key, o);
	}
	return o;
}

static json_t *new_dept(const char *code)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "code", code, "name",
			 *code ? code : "Chờ chuyển sở, ngành", "open", (json_int_t)0, "filed",
			 (json_int_t)0, "routed", (json_int_t)0, "overdue", (json_int_t)0,
			 "answered_rounds", (json_int_t)0, "answer_secs", 0.0);
}

static json_t *new_commune(const char *agency)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f}", "agency", agency, "name",
			 agency, "all", (json_int_t)0, "open", (json_int_t)0, "overdue",
			 (json_int_t)0, "answered_rounds", (json_int_t)0, "closed", (json_int_t)0,
			 "answer_secs", 0.0);
}

static json_t *new_cell(const char *key)
{
	char dept[64] = "";
	const char *tab = strchr(key, '\t');
	snprintf(dept, sizeof dept, "%.*s", tab ? (int)(tab - key) : 0, key);
	return json_pack("{s:s, s:s, s:I, s:I}", "department", dept, "agency", tab ? tab + 1 : key,
			 "open", (json_int_t)0, "overdue", (json_int_t)0);
}

static void bump(json_t *o, const char *key, int64_t by)
{
	json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + by));
}

static void bump_real(json_t *o, const char *key, double by)
{
	json_object_set_new(o, key, json_real(json_number_value(json_object_get(o, key)) + by));
}

static int board_one(void *p, const st_rec *r)
{
	board_ctx *c = p;
	json_error_t je;
	json_t *b = json_loads(r->body, 0, &je);
	if (!json_is_object(b)) {
		json_decref(b);
		return 0;
	}
	rec_rec k = core_of(b);
	if (k.state >= 0)
		c->counts[k.state]++;
	json_t *cm = entry(c->communes, r->agency, new_commune);
	json_object_set_new(cm, "name", json_string(*jstr(b, "agency_name") ? jstr(b, "agency_name")
									  : r->agency));
	bump(cm, "all", 1);
	if (k.state == REC_CLOSED)
		bump(cm, "closed", 1);
	/* Each answered round: its department's answer time. */
	size_t i;
	json_t *rd;
	json_array_foreach(json_object_get(b, "rounds"), i, rd) {
		mc_time t0 = jtime(rd, "started_at"), ans = jtime(rd, "answered_at");
		if (!t0 || !ans)
			continue;
		double secs = (double)dl_working_secs(&c->a->sched, &c->a->hours, t0, ans);
		const json_t *dj = json_object_get(rd, "department");
		json_t *d = entry(c->departments, jstr(dj, "code"), new_dept);
		json_object_set_new(d, "name", json_string(jstr(dj, "name")));
		bump(d, "answered_rounds", 1);
		bump_real(d, "answer_secs", secs);
		bump(cm, "answered_rounds", 1);
		bump_real(cm, "answer_secs", secs);
		c->answered_rounds++;
		c->answer_secs += secs;
	}
	if (rec_state_is_open(k.state)) {
		const json_t *dj = k.state == REC_FILED ? NULL : json_object_get(b, "department");
		json_t *d = entry(c->departments, jstr(dj, "code"), new_dept);
		if (dj)
			json_object_set_new(d, "name", json_string(jstr(dj, "name")));
		char key[128];
		snprintf(key, sizeof key, "%s\t%s", jstr(dj, "code"), r->agency);
		json_t *cell = entry(c->matrix, key, new_cell);
		int late = k.state == REC_ROUTED && r->due_at && c->now > r->due_at;
		bump(d, "open", 1);
		bump(d, k.state == REC_FILED ? "filed" : "routed", 1);
		bump(cm, "open", 1);
		bump(cell, "open", 1);
		c->open++;
		if (late) {
			bump(d, "overdue", 1);
			bump(cm, "overdue", 1);
			bump(cell, "overdue", 1);
			c->late++;
			json_array_append_new(c->overdue, summary(c->a, json_incref(b), c->now));
		}
	}
	json_decref(b);
	return 0;
}

/* The map's entries as an array, each with its average answer time in
 * working days (one decimal; null before any answer). */
static json_t *averaged(json_t *map, double day)
{
	json_t *arr = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(map, k, v) {
		json_int_t n = json_integer_value(json_object_get(v, "answered_rounds"));
		double secs = json_number_value(json_object_get(v, "answer_secs"));
		if (json_object_get(v, "answered_rounds"))
			json_object_set_new(v, "avg_answer_days",
					    n ? json_real(round(secs / n / day * 10) / 10)
					      : json_null());
		json_object_del(v, "answer_secs");
		json_array_append(arr, v);
	}
	return arr;
}

static int by_due(const void *x, const void *y)
{
	const json_t *const *a = x, *const *b = y;
	return strcmp(jstr(*a, "due_at"), jstr(*b, "due_at"));
}

int app_rec_board(app *a, const app_actor *by, const app_rec_filter *f, mc_time now,
		  json_t **out, mc_err *e)
{
	*out = NULL;
	if (!(by->role & (ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR)))
		return mc_fail(e, MCE_ROLE,
			       "chỉ lãnh đạo, quản trị và giám sát xem bảng theo dõi kiến nghị",
			       "only leaders, administrators and supervisors see the board");
	st_rec_filter sf;
	char *fold;
	int rc = filter_read(a, by, f, now, &sf, &fold, e);
	if (rc)
		return rc;
	board_ctx c = { .a = a, .now = now, .departments = json_object(),
			.communes = json_object(), .matrix = json_object(),
			.overdue = json_array() };
	rc = st_rec_list(a->st, &sf, board_one, &c, NULL, e);
	free(fold);
	if (rc) {
		json_decref(c.departments);
		json_decref(c.communes);
		json_decref(c.matrix);
		json_decref(c.overdue);
		return rc;
	}
	double day = dl_day_secs(&a->hours);
	/* Soonest due first: the longest overdue at the top. */
	size_t n = json_array_size(c.overdue);
	json_t **v = mc_xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(c.overdue, i));
	qsort(v, n, sizeof *v, by_due);
	json_array_clear(c.overdue);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(c.overdue, v[i]);
	free(v);
	json_t *matrix = averaged(c.matrix, day);
	int ndays = APP_REC_ANSWER_DAYS;
	mc_err ig;
	if (answer_days(a, &ndays, &ig))
		ndays = APP_REC_ANSWER_DAYS; /* a read of the board does not fail for it */
	*out = json_pack(
		"{s:o, s:i, s:i, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}, s:o, s:o, s:o, "
		"s:o}",
		"as_of", app_json_time(now), "answer_days", ndays, "day_secs", (int)day,
		"totals", "all",
		(json_int_t)(c.counts[0] + c.counts[1] + c.counts[2] + c.counts[3] + c.counts[4]),
		"filed", (json_int_t)c.counts[REC_FILED], "routed", (json_int_t)c.counts[REC_ROUTED],
		"answered", (json_int_t)c.counts[REC_ANSWERED], "closed",
		(json_int_t)c.counts[REC_CLOSED], "withdrawn", (json_int_t)c.counts[REC_WITHDRAWN],
		"open", (json_int_t)c.open, "overdue", (json_int_t)c.late, "answered_rounds",
		(json_int_t)c.answered_rounds, "avg_answer_days",
		c.answered_rounds ? json_real(round(c.answer_secs / c.answered_rounds / day * 10) / 10)
				  : json_null(),
		"departments", averaged(c.departments, day), "communes", averaged(c.communes, day),
		"matrix", matrix, "overdue", c.overdue);
	json_decref(c.departments);
	json_decref(c.communes);
	json_decref(c.matrix);
	return MC_OK;
}

/* ---- settings ---- */

int app_rec_settings(app *a, const app_actor *by, int days, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	if (days) {
		if (by->role != ROLE_ADMIN)
			return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống đặt hạn trả lời kiến nghị",
				       "only an administrator sets the answer's due");
		if (!a->hub)
			return mc_fail(e, MCE_REC_SIDE,
				       "hạn trả lời kiến nghị do tỉnh đặt, trên máy chủ của tỉnh",
				       "the answer's due is the province's, set on its hub");
		if (days < 1 || days > APP_REC_ANSWER_DAYS_MAX)
			return mc_fail(e, MCE_REC_BAD_FIELD,
				       "answer_days: số ngày làm việc từ 1 đến %d",
				       "answer_days: working days from 1 to %d",
				       APP_REC_ANSWER_DAYS_MAX);
		char v[16];
		snprintf(v, sizeof v, "%d", days);
		int rc = st_begin(a->st, e);
		if (!rc)
			rc = st_setting_set(a->st, SETTING_DAYS, v, e);
		json_t *p = json_pack("{s:i}", "answer_days", days);
		if (!rc)
			rc = ev_append(a->st, now, by->login, "settings.recommendations", NULL, p, NULL,
				       e);
		json_decref(p);
		rc = st_end(a->st, rc, e);
		if (rc)
			return rc;
	}
	int n;
	int rc = answer_days(a, &n, e);
	if (!rc)
		*out = json_pack("{s:i}", "answer_days", n);
	return rc;
}

/* ---- sync: the hub applies the commune's steps ---- */

static void reject(const char **verdict, const char **vcode, const char *code, char *vmsg,
		   size_t size, const char *msg)
{
	*verdict = "rejected";
	*vcode = code;
	snprintf(vmsg, size, "%s", msg);
}

/* A commune's new recommendation on the hub: its copy, owned by agency. */
static int hub_filed(app *a, const char *agency, const char *origin, int64_t hseq,
		     const char *id, mc_time at, const json_t *p, mc_time now,
		     const char **verdict, const char **vcode, char *vmsg, size_t vsize,
		     mc_err *e)
{
	const json_t *rec = json_object_get(p, "recommendation");
	if (!json_is_object(rec) || strcmp(jstr(rec, "id"), id) != 0 ||
	    strcmp(jstr(rec, "agency"), agency) != 0 || !jtime(rec, "filed_at") ||
	    strcmp(jstr(rec, "state"), "filed") != 0) {
		reject(verdict, vcode, "recommendation.bad_field", vmsg, vsize,
		       "the event carries no filed recommendation of this commune");
		return MC_OK;
	}
	loaded l;
	mc_err ig;
	int rc = load(a, id, &l, &ig);
	if (rc == MC_OK) {
		/* Sent again (a hub restored from a backup): the copy stays. */
		int same = strcmp(l.agency, agency) == 0;
		json_decref(l.body);
		if (!same)
			reject(verdict, vcode, "recommendation.exists", vmsg, vsize,
			       "another commune's recommendation has this id");
		return MC_OK;
	}
	if (rc != MC_ENOTFOUND) {
		*e = ig;
		return rc;
	}
	json_t *body = json_deep_copy(rec);
	rc = save(a, agency, body, now, e);
	json_decref(body);
	json_t *step = json_pack("{s:O}", "by", json_object_get(rec, "filed_by"));
	if (!rc)
		rc = add_step(a, agency, id, origin, REC_FILE, REC_COMMUNE, 1, at,
			      jstr(json_object_get(rec, "filed_by"), "login"), hseq, step, e);
	json_decref(step);
	return rc;
}

int app_rec_hub_event(app *a, const char *agency, int64_t chain, int64_t seq, const char *kind,
		      const char *at_iso, const json_t *p, mc_time now, const char **verdict,
		      const char **vcode, char *vmsg, size_t vsize, mc_err *e)
{
	*verdict = "applied";
	*vcode = "";
	vmsg[0] = 0;
	int action = rec_action_of_event(kind);
	if (action < 0) {
		*verdict = "deferred";
		*vcode = "sync.unknown_kind";
		snprintf(vmsg, vsize, "event %s is not a recommendation's step this hub knows", kind);
		return MC_OK;
	}
	/* The commune's record of the province's own steps (its pull). */
	if (rec_actions[action].side == REC_PROVINCE) {
		*verdict = "stored";
		return MC_OK;
	}
	const char *id = jstr(p, "id");
	size_t n = strlen(agency);
	mc_time at = app_iso_time(at_iso);
	int round = (int)json_integer_value(json_object_get(p, "round"));
	if (strncmp(id, agency, n) != 0 || strncmp(id + n, "/KN-", 4) != 0 || !at || round < 1) {
		reject(verdict, vcode, "recommendation.bad_field", vmsg, vsize,
		       "the event names no recommendation of this commune");
		return MC_OK;
	}
	char origin[160];
	snprintf(origin, sizeof origin, "node:%s:%lld:%lld", agency, (long long)chain,
		 (long long)seq);
	if (action == REC_FILE)
		return hub_filed(a, agency, origin, 0, id, at, p, now, verdict, vcode, vmsg, vsize, e);
	loaded l;
	mc_err me;
	int rc = load(a, id, &l, &me);
	if (rc == MC_ENOTFOUND || (!rc && strcmp(l.agency, agency) != 0)) {
		json_decref(l.body);
		reject(verdict, vcode, "recommendation.not_found", vmsg, vsize,
		       "the hub holds no such recommendation of this commune");
		return MC_OK;
	}
	if (rc) {
		*e = me;
		return rc;
	}
	rec_rec cur = core_of(l.body), next;
	int changed = 0;
	if (rec_merge(&cur, action, round, NULL, &next, &changed, &me)) {
		json_decref(l.body);
		reject(verdict, vcode, "recommendation.wrong_state", vmsg, vsize, mc_errmsg(&me, 0));
		return MC_OK;
	}
	const json_t *ps = json_object_get(p, "step");
	json_t *body = l.body;
	json_object_set_new(body, "state", json_string(rec_state_name(next.state)));
	json_object_set_new(body, "round", json_integer(next.round));
	if (action == REC_WITHDRAW) {
		json_object_set_new(body, "withdrawn_at", app_json_time(at));
		set_text(body, "reason", jstr(ps, "reason"));
	} else if (action == REC_CLOSE) {
		json_object_set_new(body, "closed_at", app_json_time(at));
	} else if (changed) { /* reopen: back to the department, due from the reopen */
		mc_time due;
		rc = answer_due(a, at, &due, e);
		set_text(body, "reason", jstr(ps, "reason"));
		json_object_set_new(body, "routed_at", app_json_time(at));
		json_object_set_new(body, "due_at", app_json_time(due));
		json_object_set_new(body, "answer", json_null());
		json_object_set_new(body, "answered_at", json_null());
		json_object_set_new(body, "closed_at", json_null());
		json_array_append_new(json_object_get(body, "rounds"),
				      json_pack("{s:i, s:O, s:o, s:o, s:n, s:n}", "round", next.round,
						"department", json_object_get(body, "department"),
						"started_at", app_json_time(at), "due_at",
						app_json_time(due), "answered_at", "answer"));
		/* The commune learns the due its new round has on the
		 * province's calendar. */
		json_t *item = json_pack("{s:s, s:s, s:i, s:o, s:{s:s, s:s}, s:O, s:o, s:o, s:I}",
					 "id", id, "action", "reopen", "round", next.round, "at",
					 app_json_time(at), "by", "login", "hub", "name",
					 "Máy chủ tỉnh", "department",
					 json_object_get(body, "department"), "routed_at",
					 app_json_time(at), "due_at", app_json_time(due), "seq",
					 (json_int_t)0);
		if (!rc)
			rc = publish(a, agency, rec_actions[REC_ROUTE].event, item, "hub", now, e);
		json_decref(item);
	}
	if (!rc)
		rc = save(a, agency, body, now, e);
	json_t *step = json_is_object(ps) ? json_deep_copy(ps) : json_object();
	if (action == REC_REOPEN)
		json_object_set(step, "department", json_object_get(body, "department"));
	if (!rc)
		rc = add_step(a, agency, id, origin, action, REC_COMMUNE, round, at,
			      jstr(json_object_get(step, "by"), "login"), 0, step, e);
	json_decref(step);
	json_decref(body);
	return rc;
}

/* ---- sync: a commune applies the province's steps ---- */

int app_rec_pull_item(app *a, const char *kind, const json_t *b, int64_t cursor,
		      const char *hash, mc_time now, int64_t *seq, char *why, size_t wsize,
		      mc_err *e)
{
	*seq = 0;
	why[0] = 0;
	const char *name = jstr(b, "action"), *id = jstr(b, "id");
	int action = strcmp(name, "reopen") == 0 ? REC_ROUTE : rec_action_parse(name);
	int round = (int)json_integer_value(json_object_get(b, "round"));
	mc_time at = jtime(b, "at");
	if (action < 0 || rec_actions[action].side != REC_PROVINCE ||
	    strcmp(rec_actions[action].event, kind) != 0 || round < 1 || !at) {
		snprintf(why, wsize, "the item is not a step of the province on a recommendation");
		return MC_OK;
	}
	loaded l;
	mc_err me;
	int rc = load(a, id, &l, &me);
	if (rc == MC_ENOTFOUND || (!rc && strcmp(l.agency, a->agency) != 0)) {
		json_decref(l.body);
		snprintf(why, wsize, "no recommendation '%.120s' of this commune here", id);
		return MC_OK;
	}
	if (rc) {
		*e = me;
		return rc;
	}
	json_t *body = l.body;
	rec_rec cur = core_of(body), next;
	const json_t *dept = json_object_get(b, "department");
	if (rec_merge(&cur, action, round, jstr(dept, "code"), &next, NULL, &me)) {
		json_decref(body);
		snprintf(why, wsize, "%s", mc_errmsg(&me, 0));
		return MC_OK;
	}
	const json_t *ans = json_object_get(b, "answer");
	if (action == REC_ANSWER && (!json_is_object(ans) || !jtime(ans, "at"))) {
		json_decref(body);
		snprintf(why, wsize, "the item carries no answer");
		return MC_OK;
	}
	if (action == REC_ANSWER) {
		mc_err ae;
		int arc = app_attach_want(a, json_object_get(ans, "attachments"), now, &ae);
		if (arc == MC_EINVAL) {
			json_decref(body);
			snprintf(why, wsize, "%s", mc_errmsg(&ae, 0));
			return MC_OK;
		}
		if (arc) {
			json_decref(body);
			*e = ae;
			return arc;
		}
	}
	json_object_set_new(body, "state", json_string(rec_state_name(next.state)));
	if (round == cur.round) {
		json_t *r = round_of(body, round);
		if (!r) {
			r = json_pack("{s:i, s:n, s:n, s:n, s:n, s:n}", "round", round, "department",
				      "started_at", "due_at", "answered_at", "answer");
			json_array_append_new(json_object_get(body, "rounds"), r);
		}
		if (action == REC_ANSWER) {
			json_object_set_new(body, "answer", json_deep_copy(ans));
			json_object_set_new(body, "answered_at", json_string(jstr(ans, "at")));
			json_object_set_new(r, "answer", json_deep_copy(ans));
			json_object_set_new(r, "answered_at", json_string(jstr(ans, "at")));
		} else {
			if (json_is_object(dept)) {
				json_object_set_new(body, "department", json_deep_copy(dept));
				json_object_set_new(r, "department", json_deep_copy(dept));
			}
			const char *ra = jstr(b, "routed_at"), *da = jstr(b, "due_at");
			if (app_iso_time(ra)) {
				json_object_set_new(body, "routed_at", json_string(ra));
				json_object_set_new(r, "started_at", json_string(ra));
			}
			if (app_iso_time(da)) {
				json_object_set_new(body, "due_at", json_string(da));
				json_object_set_new(r, "due_at", json_string(da));
			}
		}
	}
	rc = save(a, a->agency, body, now, e);
	json_t *p = json_pack("{s:s, s:s, s:i, s:{s:I, s:s}, s:O, s:O}", "action", name, "id", id,
			      "round", round, "published", "cursor", (json_int_t)cursor, "hash",
			      hash, "step", b, "recommendation", body);
	if (!rc)
		rc = ev_append(a->st, now, "hub", kind, id, p, seq, e);
	json_decref(p);
	json_t *step = json_deep_copy(b);
	json_object_del(step, "id");
	json_object_del(step, "action");
	json_object_del(step, "round");
	json_object_del(step, "at");
	json_object_del(step, "seq");
	if (strcmp(name, "reopen") == 0)
		json_object_set_new(step, "confirms", json_string("reopen"));
	char origin[80];
	snprintf(origin, sizeof origin, "hub:%.64s", hash);
	if (!rc)
		rc = add_step(a, a->agency, id, origin, action, REC_PROVINCE, round, at,
			      jstr(json_object_get(b, "by"), "login"), *seq, step, e);
	json_decref(step);
	json_decref(body);
	return rc;
}
