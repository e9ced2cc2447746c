/*
 * notify.c - live alerts, notifications, the daily digest and its e-mail
 * (issue 13). See notify.h.
 */
#include "app/notify.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <unistd.h>

#include "app_int.h"
#include "app/tasks_int.h"
#include "sb.h"
#include "store/ev.h"
#include "store/st_notify.h"

/* ---- who sees what ---- */

static int leaderish(int role)
{
	return role == ROLE_LEADER || role == ROLE_ADMIN || role == ROLE_SUPERVISOR;
}

/* Whether a dossier (its status and assignee) is in the view of a user of
 * role and login: a specialist's own, reception's received and not yet
 * assigned, everyone's for the leaders. */
static int in_scope(int role, const char *login, const char *status, const char *assignee)
{
	if (leaderish(role))
		return 1;
	if (role == ROLE_SPECIALIST)
		return strcmp(assignee, login) == 0;
	if (role == ROLE_RECEPTION)
		return strcmp(status, "received") == 0 && !*assignee;
	return 0;
}

/* ---- the alert rows, copied out of the walk ---- */

typedef struct {
	char code[96], procedure[32], status[24], assignee[64];
	char *procedure_name, *applicant, *assignee_name, *unit;
	mc_time due_at;
} alert;

typedef struct {
	alert *v;
	size_t n, cap;
} alerts;

static int alert_one(void *ctx, const st_alert_row *r)
{
	alerts *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = mc_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	alert *x = &l->v[l->n++];
	snprintf(x->code, sizeof x->code, "%s", r->code);
	snprintf(x->procedure, sizeof x->procedure, "%s", r->procedure);
	snprintf(x->status, sizeof x->status, "%s", r->status);
	snprintf(x->assignee, sizeof x->assignee, "%s", r->assignee);
	x->procedure_name = mc_xstrdup(r->procedure_name);
	x->applicant = mc_xstrdup(r->applicant);
	x->assignee_name = mc_xstrdup(r->assignee_name);
	x->unit = mc_xstrdup(r->unit);
	x->due_at = r->due_at;
	return 0;
}

static void alerts_release(alerts *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].procedure_name);
		free(l->v[i].applicant);
		free(l->v[i].assignee_name);
		free(l->v[i].unit);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The agency's near-due and overdue dossiers at now. OUT: *l, *near. */
static int alerts_load(app *a, mc_time now, alerts *l, mc_time *near, mc_err *e)
{
	memset(l, 0, sizeof *l);
	int rc = dl_near_due_before(&a->sched, &a->hours, now, near, e);
	if (!rc)
		rc = st_alert_walk(a->st, a->agency, *near, alert_one, l, e);
	if (rc)
		alerts_release(l);
	return rc;
}

/* ---- GET /alerts ---- */

/* Counts by key, kept as {"key": [label, count]} while counting. */
static void tally(json_t *map, const char *key, const char *label)
{
	json_t *v = json_object_get(map, key);
	if (!v) {
		json_object_set_new(map, key, json_pack("[s, I]", label, (json_int_t)1));
		return;
	}
	json_t *c = json_array_get(v, 1);
	json_integer_set(c, json_integer_value(c) + 1);
}

typedef struct {
	const char *key, *label;
	json_int_t n;
} tally_row;

static int tally_cmp(const void *x, const void *y)
{
	const tally_row *p = x, *q = y;
	if (p->n != q->n)
		return p->n > q->n ? -1 : 1;
	return strcmp(p->label, q->label);
}

/* The tally as an array, the largest count first: officers as {"login",
 * "name", "count"}, units as {"unit", "count"}. */
static json_t *tally_array(json_t *map, int officers)
{
	size_t n = json_object_size(map), i = 0;
	tally_row *rows = mc_xcalloc(n ? n : 1, sizeof *rows);
	const char *key;
	json_t *v;
	json_object_foreach(map, key, v)
	{
		rows[i].key = key;
		rows[i].label = json_string_value(json_array_get(v, 0));
		rows[i].n = json_integer_value(json_array_get(v, 1));
		i++;
	}
	qsort(rows, n, sizeof *rows, tally_cmp);
	json_t *arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, officers ? json_pack("{s:s, s:s, s:I}", "login", rows[i].key,
								"name", rows[i].label, "count", rows[i].n)
						    : json_pack("{s:s, s:I}", "unit", rows[i].label,
								"count", rows[i].n));
	free(rows);
	return arr;
}

typedef struct {
	json_int_t total;
	json_t *officers, *units;
} group;

static void group_add(group *g, const alert *x)
{
	g->total++;
	tally(g->officers, x->assignee,
	      !*x->assignee ? APP_NO_ASSIGNEE : *x->assignee_name ? x->assignee_name : x->assignee);
	tally(g->units, *x->unit ? x->unit : APP_NO_UNIT, *x->unit ? x->unit : APP_NO_UNIT);
}

static json_t *group_json(group *g)
{
	json_t *o = json_pack("{s:I, s:o, s:o}", "total", g->total, "by_officer",
			      tally_array(g->officers, 1), "by_unit", tally_array(g->units, 0));
	json_decref(g->officers);
	json_decref(g->units);
	return o;
}

int app_alerts(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e)
{
	alerts l;
	mc_time near;
	int rc = alerts_load(a, now, &l, &near, e);
	if (rc)
		return rc;
	group g_near = { 0, json_object(), json_object() };
	group g_over = { 0, json_object(), json_object() };
	json_t *items = json_array();
	for (size_t i = 0; i < l.n; i++) {
		const alert *x = &l.v[i];
		if (!in_scope(by->role, by->login, x->status, x->assignee))
			continue;
		int over = x->due_at < now;
		group_add(over ? &g_over : &g_near, x);
		int64_t late = over ? dl_working_secs(&a->sched, &a->hours, x->due_at, now) / 60 : 0;
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:I}",
				  "code", x->code, "procedure", x->procedure, "procedure_name",
				  x->procedure_name, "applicant", x->applicant, "status", x->status,
				  "status_label", dsr_state_label_vi(dsr_state_parse(x->status)),
				  "assignee", x->assignee, "assignee_name", x->assignee_name, "unit",
				  *x->unit ? x->unit : APP_NO_UNIT, "due_at", app_json_time(x->due_at),
				  "near_due", !over, "overdue", over, "overdue_by_minutes",
				  (json_int_t)late));
	}
	alerts_release(&l);
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "now", app_json_time(now), "near_due_before",
			 app_json_time(near), "near_due", group_json(&g_near), "overdue",
			 group_json(&g_over), "items", items);
	return MC_OK;
}

/* ---- the officers ---- */

typedef struct {
	st_user *v;
	size_t n, cap;
	const char *agency;
} users;

static int user_one(void *ctx, const st_user *u)
{
	users *l = ctx;
	if (u->disabled || strcmp(u->agency, l->agency) != 0)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = mc_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n] = *u;
	/* The hash has no business here. */
	sodium_memzero(l->v[l->n].pw_hash, sizeof l->v[l->n].pw_hash);
	l->n++;
	return 0;
}

static const st_user *user_find(const users *l, const char *login)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].login, login) == 0)
			return &l->v[i];
	return NULL;
}

/* ---- the sweep: crossings ---- */

/* "dd/mm/yyyy HH:MM" of t (local time). */
static void vi_datetime(mc_time t, char out[17])
{
	char iso[17];
	cal_format_datetime(t, iso);
	snprintf(out, 17, "%.2s/%.2s/%.4s %.5s", iso + 8, iso + 5, iso, iso + 11);
}

static void vi_date(int32_t day, char out[11])
{
	char iso[11];
	cal_format_date(day, iso);
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

typedef struct {
	st_note *v;
	char **owned; /* strings the notes point to */
	size_t n, cap, nowned, capowned;
} notes;

static char *keep(notes *ns, char *s)
{
	if (ns->nowned == ns->capowned) {
		ns->capowned = ns->capowned ? ns->capowned * 2 : 64;
		ns->owned = mc_xrealloc(ns->owned, ns->capowned * sizeof *ns->owned);
	}
	ns->owned[ns->nowned++] = s;
	return s;
}

static void note_add(notes *ns, const st_note *n)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 32;
		ns->v = mc_xrealloc(ns->v, ns->cap * sizeof *ns->v);
	}
	ns->v[ns->n++] = *n;
}

static void notes_release(notes *ns)
{
	for (size_t i = 0; i < ns->nowned; i++)
		free(ns->owned[i]);
	free(ns->owned);
	free(ns->v);
	memset(ns, 0, sizeof *ns);
}

static char *fmt(const char *f, ...) MC_PRINTF(1, 2);
static char *fmt(const char *f, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, f);
	int n = vasprintf(&s, f, ap);
	va_end(ap);
	if (n < 0)
		abort(); /* out of memory, as mc_xmalloc */
	return s;
}

/* The notes a crossing of x makes: near due to its assignee (or, with
 * none, the leaders); overdue to its assignee and the leaders. */
static void crossing_notes(app *a, const users *us, const alert *x, int over, mc_time now,
			   notes *ns)
{
	char due[17];
	vi_datetime(x->due_at, due);
	const char *kind = over ? "overdue" : "near_due";
	char *title = keep(ns, over ? fmt("Hồ sơ %s đã quá hạn", x->code)
				    : fmt("Hồ sơ %s sắp đến hạn", x->code));
	char *body = keep(ns, fmt("%s — %s. Hạn giải quyết: %s. Người xử lý: %s.",
				  x->procedure_name, x->applicant, due,
				  *x->assignee ? (*x->assignee_name ? x->assignee_name : x->assignee)
					       : APP_NO_ASSIGNEE));
	st_note n = { .agency = a->agency, .kind = kind, .dossier = x->code,
		      .occasion = x->due_at, .created_at = now, .title = title, .body = body };
	const st_user *holder = *x->assignee ? user_find(us, x->assignee) : NULL;
	if (holder) {
		n.login = holder->login;
		note_add(ns, &n);
	}
	if (holder && !over)
		return;
	for (size_t i = 0; i < us->n; i++) {
		if (us->v[i].role != ROLE_LEADER || (holder && holder == &us->v[i]))
			continue;
		n.login = us->v[i].login;
		note_add(ns, &n);
	}
}

/* ---- the sweep: the digest ---- */

typedef struct {
	const users *us;
	int64_t *work; /* per user: open dossiers in their view */
} work_ctx;

static int work_one(void *ctx, const char *assignee, const char *status, int64_t n)
{
	work_ctx *w = ctx;
	for (size_t i = 0; i < w->us->n; i++) {
		const st_user *u = &w->us->v[i];
		int mine = 0;
		if (u->role == ROLE_SPECIALIST)
			mine = strcmp(assignee, u->login) == 0;
		else if (u->role == ROLE_RECEPTION)
			mine = !*assignee && (strcmp(status, "submitted") == 0 ||
					      strcmp(status, "received") == 0);
		else if (u->role == ROLE_LEADER)
			mine = 1; /* the leader answers for every open dossier */
		if (mine)
			w->work[i] += n;
	}
	return 0;
}

/* One line per code: "- CODE: procedure, hạn dd/mm/yyyy HH:MM". */
static void digest_lines(const alerts *l, const st_user *u, int over, mc_time now, sb *s,
			 int *count)
{
	enum { MAX_CODES = 30 };
	*count = 0;
	for (size_t i = 0; i < l->n; i++) {
		const alert *x = &l->v[i];
		if ((x->due_at < now) != over || !in_scope(u->role, u->login, x->status, x->assignee))
			continue;
		if (*count < MAX_CODES) {
			char due[17];
			vi_datetime(x->due_at, due);
			sb_addf(s, "- %s: %s, hạn %s\n", x->code, x->procedure_name, due);
		}
		(*count)++;
	}
	if (*count > MAX_CODES)
		sb_addf(s, "- và %d hồ sơ khác\n", *count - MAX_CODES);
}

static void digest_notes(app *a, const users *us, const int64_t *work, const alerts *l,
			 int32_t day, mc_time now, notes *ns)
{
	char date[11];
	vi_date(day, date);
	for (size_t i = 0; i < us->n; i++) {
		const st_user *u = &us->v[i];
		if (work[i] <= 0)
			continue;
		sb nearl, overl;
		int n_near, n_over;
		sb_init(&nearl, 64 * 1024);
		sb_init(&overl, 64 * 1024);
		digest_lines(l, u, 0, now, &nearl, &n_near);
		digest_lines(l, u, 1, now, &overl, &n_over);
		char *title = keep(ns, fmt("Công việc ngày %s: %d hồ sơ quá hạn, %d hồ sơ sắp đến hạn",
					   date, n_over, n_near));
		char *body = keep(
			ns, fmt("Kính gửi %s,\n\nHồ sơ đang chờ xử lý: %lld.\n\nQuá hạn (%d):\n%s\n"
				"Sắp đến hạn trong một ngày làm việc (%d):\n%s\n%s",
				u->name, (long long)work[i], n_over,
				n_over ? sb_str(&overl) : "- không có\n", n_near,
				n_near ? sb_str(&nearl) : "- không có\n", a->agency_name));
		sb_release(&nearl);
		sb_release(&overl);
		st_note n = { .agency = a->agency, .login = u->login, .kind = "digest", .dossier = "",
			      .occasion = day, .created_at = now, .title = title, .body = body };
		note_add(ns, &n);
	}
}

/* The digest is due from the first working instant of a working day. */
static int digest_due(app *a, mc_time now, int32_t *day)
{
	*day = cal_local_day(now);
	return a->hours.n > 0 && cal_is_workday(&a->sched, *day) &&
	       cal_local_secs(now) >= a->hours.start[0];
}

/* ---- e-mail (libcurl SMTP) ---- */

typedef struct {
	char *url, *user, *password, *from;
} smtp_conf;

static void smtp_release(smtp_conf *c)
{
	free(c->url);
	free(c->user);
	if (c->password)
		sodium_memzero(c->password, strlen(c->password));
	free(c->password);
	free(c->from);
	memset(c, 0, sizeof *c);
}

static char *setting_or_empty(app *a, const char *key)
{
	char *v = NULL;
	mc_err ignore;
	if (st_setting_get(a->st, key, &v, &ignore))
		return mc_xstrdup("");
	return v;
}

static void smtp_load(app *a, smtp_conf *c)
{
	c->url = setting_or_empty(a, "smtp_url");
	c->user = setting_or_empty(a, "smtp_user");
	c->password = setting_or_empty(a, "smtp_password");
	c->from = setting_or_empty(a, "smtp_from");
}

static void b64(sb *s, const unsigned char *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = mc_xmalloc(len);
	sodium_bin2base64(out, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	sb_add(s, out);
	free(out);
}

/* An RFC 2047 encoded header value: words of at most 45 bytes of UTF-8
 * (60 of base64), never splitting a character, folded onto lines of their
 * own. */
static void header_words(sb *s, const char *text)
{
	size_t n = strlen(text), at = 0;
	if (!n) {
		sb_add(s, "=?UTF-8?B?" "?=");
		return;
	}
	while (at < n) {
		size_t take = n - at > 45 ? 45 : n - at;
		while (at + take < n && ((unsigned char)text[at + take] & 0xC0) == 0x80)
			take--;
		if (at)
			sb_add(s, "\r\n ");
		sb_add(s, "=?UTF-8?B?");
		b64(s, (const unsigned char *)text + at, take);
		sb_add(s, "?=");
		at += take;
	}
}

/* RFC 5322 date of t in the node's time zone (UTC+7). */
static void mail_date(mc_time t, char out[40])
{
	static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int32_t day = cal_local_day(t);
	int secs = cal_local_secs(t);
	char iso[11];
	cal_format_date(day, iso);
	int y = 0, m = 1, d = 1;
	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
		m = 1;
	snprintf(out, 40, "%s, %d %s %04d %02d:%02d:%02d +0700", wd[((day % 7) + 7) % 7], d,
		 mon[m - 1], y, secs / 3600, secs / 60 % 60, secs % 60);
}

/* The whole message: headers, then the body as base64 (no 8BITMIME
 * needed anywhere on the way). OUT: caller frees. */
static char *mail_message(const smtp_conf *c, const char *agency_name, const char *to,
			  const st_note *n, mc_time now)
{
	sb s;
	sb_init(&s, 1024 * 1024);
	char date[40];
	mail_date(now, date);
	sb_addf(&s, "Date: %s\r\n", date);
	sb_add(&s, "From: ");
	header_words(&s, agency_name);
	sb_addf(&s, " <%s>\r\n", c->from);
	sb_addf(&s, "To: <%s>\r\n", to);
	sb_add(&s, "Subject: ");
	header_words(&s, n->title);
	sb_add(&s, "\r\n");
	const char *at = strchr(c->from, '@');
	sb_addf(&s, "Message-ID: <motcua.%lld.%lld%s>\r\n", (long long)n->id, (long long)now,
		at ? at : "@motcua.invalid");
	sb_add(&s, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: base64\r\n\r\n");
	/* 57 bytes make a 76-character line. */
	size_t len = strlen(n->body);
	for (size_t i = 0; i < len; i += 57) {
		b64(&s, (const unsigned char *)n->body + i, len - i > 57 ? 57 : len - i);
		sb_add(&s, "\r\n");
	}
	if (sb_err(&s)) {
		sb_release(&s);
		return NULL;
	}
	return sb_take(&s);
}

typedef struct {
	const char *p;
	size_t left;
} reader;

static size_t mail_read(char *buf, size_t size, size_t nmemb, void *ctx)
{
	reader *r = ctx;
	size_t n = size * nmemb < r->left ? size * nmemb : r->left;
	memcpy(buf, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
	(void)curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Sends message to `to` through c. OUT: why (size bytes) on failure;
 * returns 0 if the server took it. */
static int mail_send(const smtp_conf *c, const char *to, const char *message, char *why,
		     size_t size)
{
	pthread_once(&curl_once, curl_init);
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(why, size, "cannot start libcurl");
		return -1;
	}
	char from[300], rcpt[300], err[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof from, "<%s>", c->from);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	reader r = { message, strlen(message) };
	curl_easy_setopt(h, CURLOPT_URL, c->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, mail_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	/* smtp:// upgrades with STARTTLS when the server offers it. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (*c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
	}
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		snprintf(why, size, "%s", err[0] ? err : curl_easy_strerror(rc));
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}

typedef struct {
	st_note n;
	char *title, *body, *to;
} outgoing;

typedef struct {
	outgoing *v;
	size_t n, cap;
} outbox;

static int mail_one(void *ctx, const st_note *n, const char *email)
{
	outbox *o = ctx;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->v = mc_xrealloc(o->v, o->cap * sizeof *o->v);
	}
	outgoing *x = &o->v[o->n++];
	x->n = *n;
	x->title = mc_xstrdup(n->title);
	x->body = mc_xstrdup(n->body);
	x->to = mc_xstrdup(email);
	x->n.title = x->title;
	x->n.body = x->body;
	x->n.agency = x->n.login = x->n.kind = x->n.dossier = x->n.email_error = "";
	return 0;
}

/* Sends today's digests not sent yet, each then recorded on its own. */
static int mail_digests(app *a, mc_time now, app_sweep_stats *sw, mc_err *e)
{
	smtp_conf c;
	smtp_load(a, &c);
	if (!*c.url || !*c.from) {
		smtp_release(&c);
		return MC_OK;
	}
	outbox o = { 0 };
	int rc = st_note_mail_pending(a->st, a->agency, cal_time_of(cal_local_day(now), 0),
				      mail_one, &o, e);
	/* NEEDSWORK: two sweepers at once (serve and notify-sweep) could both
	 * send one digest before either records it; claim it first if that
	 * ever matters. */
	for (size_t i = 0; !rc && i < o.n; i++) {
		char why[CURL_ERROR_SIZE + 32] = "";
		char *msg = mail_message(&c, a->agency_name, o.v[i].to, &o.v[i].n, now);
		int bad = msg ? mail_send(&c, o.v[i].to, msg, why, sizeof why)
			      : (snprintf(why, sizeof why, "message too large"), -1);
		free(msg);
		if (bad)
			sw->email_failed++;
		else
			sw->emailed++;
		rc = st_begin(a->st, e);
		if (!rc)
			rc = st_note_mail_done(a->st, o.v[i].n.id, now, bad ? why : NULL, e);
		rc = st_end(a->st, rc, e);
	}
	for (size_t i = 0; i < o.n; i++) {
		free(o.v[i].title);
		free(o.v[i].body);
		free(o.v[i].to);
	}
	free(o.v);
	smtp_release(&c);
	return rc;
}

/* ---- the sweep ---- */

int app_notify_sweep(app *a, mc_time now, app_sweep_stats *stats, mc_err *e)
{
	app_sweep_stats sw = { 0 };
	app_task_sweep_stats ts;
	int trc = app_task_sweep(a, now, &ts, e);
	if (trc)
		return trc;
	sw.task_near_due = ts.near_due;
	sw.task_overdue = ts.overdue;
	sw.tasks_made = ts.made;
	if (a->hub) { /* a hub holds copies; the communes alert their own */
		if (stats)
			*stats = sw;
		return MC_OK;
	}
	alerts l;
	mc_time near;
	int rc = alerts_load(a, now, &l, &near, e);
	if (rc)
		return rc;
	users us = { .agency = a->agency };
	notes ns = { 0 };
	int64_t *work = NULL;
	rc = st_user_list(a->st, user_one, &us, e);
	/* Crossings not notified yet (read first: most minutes, none). */
	for (size_t i = 0; !rc && i < l.n; i++) {
		int over = l.v[i].due_at < now, seen = 0;
		rc = st_note_seen(a->st, l.v[i].code, over ? "overdue" : "near_due", l.v[i].due_at,
				  &seen, e);
		if (!rc && !seen)
			crossing_notes(a, &us, &l.v[i], over, now, &ns);
	}
	int32_t day;
	size_t n_crossing = ns.n;
	if (!rc && digest_due(a, now, &day)) {
		work = mc_xcalloc(us.n ? us.n : 1, sizeof *work);
		work_ctx w = { &us, work };
		rc = st_open_work(a->st, a->agency, work_one, &w, e);
		if (!rc)
			digest_notes(a, &us, work, &l, day, now, &ns);
	}
	if (!rc && ns.n) {
		rc = st_begin(a->st, e);
		for (size_t i = 0; !rc && i < ns.n; i++) {
			int added = 0;
			rc = st_note_put(a->st, &ns.v[i], &added, e);
			if (!added)
				continue;
			if (i >= n_crossing)
				sw.digests++;
			else if (strcmp(ns.v[i].kind, "overdue") == 0)
				sw.overdue++;
			else
				sw.near_due++;
		}
		rc = st_end(a->st, rc, e);
	}
	if (!rc)
		rc = mail_digests(a, now, &sw, e);
	free(work);
	notes_release(&ns);
	free(us.v);
	alerts_release(&l);
	if (stats)
		*stats = sw;
	return rc;
}

/* ---- the bell ---- */

static int note_json(void *ctx, const st_note *n)
{
	/* A task's reminder names the task (its id is kept in the dossier
	 * column: tasks.c). */
	int task = strncmp(n->kind, "task_", 5) == 0;
	json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
			       (json_int_t)n->id, "kind", n->kind, "dossier",
			       *n->dossier && !task ? json_string(n->dossier) : json_null(), "title",
			       n->title, "body", n->body, "created_at", app_json_time(n->created_at),
			       "read_at", app_json_time(n->read_at), "emailed_at",
			       app_json_time(n->emailed_at), "email_error",
			       *n->email_error ? json_string(n->email_error) : json_null());
	if (task)
		json_object_set_new(o, "task", json_string(n->dossier));
	json_array_append_new(ctx, o);
	return 0;
}

int app_notifications(app *a, const app_actor *by, int unread_only, int limit, json_t **out,
		      mc_err *e)
{
	if (limit < 1 || limit > APP_NOTIFY_LIMIT)
		return mc_fail(e, MCE_BAD_FIELD, "limit phải là số nguyên từ 1 đến %d",
			       "limit must be a whole number from 1 to %d", APP_NOTIFY_LIMIT);
	json_t *items = json_array();
	int64_t unread = 0;
	int rc = st_note_list(a->st, by->login, unread_only, limit, note_json, items, e);
	if (!rc)
		rc = st_note_unread(a->st, by->login, &unread, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I}", "items", items, "unread", (json_int_t)unread);
	return MC_OK;
}

int app_notifications_read(app *a, const app_actor *by, const int64_t *ids, size_t n, int all,
			   mc_time now, int64_t *unread, mc_err *e)
{
	if (n > APP_NOTIFY_IDS_MAX)
		return mc_fail(e, MCE_BAD_FIELD, "ids có nhiều nhất %d phần tử",
			       "ids takes at most %d items", APP_NOTIFY_IDS_MAX);
	int rc = st_begin(a->st, e);
	if (!rc && all)
		rc = st_note_read_all(a->st, by->login, now, e);
	for (size_t i = 0; !rc && !all && i < n; i++)
		rc = st_note_read(a->st, by->login, ids[i], now, e);
	rc = st_end(a->st, rc, e);
	if (!rc)
		rc = st_note_unread(a->st, by->login, unread, e);
	return rc;
}

/* ---- e-mail addresses and the SMTP settings ---- */

int app_email_check(const char *email, mc_err *e)
{
	if (!email || !*email)
		return MC_OK;
	size_t n = strlen(email);
	const char *at = strchr(email, '@');
	int ok = n <= 254 && at && at != email && !strchr(at + 1, '@') && at[1] &&
		 strchr(at + 1, '.') && at[1] != '.' && email[n - 1] != '.' && at - email <= 64;
	for (const char *p = email; ok && *p; p++) {
		unsigned char ch = (unsigned char)*p;
		/* No controls (a CR or LF would write a header), spaces or the
		 * characters that would need quoting. */
		if (ch <= ' ' || ch == 0x7f || strchr("\"(),:;<>[\\]", ch))
			ok = 0;
	}
	if (!ok)
		return mc_fail(e, MCE_USER_BAD_EMAIL,
			       "email: '%.60s' không phải địa chỉ thư điện tử hợp lệ (ten@mien.vn)",
			       "email: '%.60s' is not a valid address (name@domain.vn)", email);
	return MC_OK;
}

static json_t *smtp_json(const smtp_conf *c)
{
	return json_pack("{s:s, s:s, s:s, s:b}", "url", c->url, "user", c->user, "from", c->from,
			 "password_set", *c->password != 0);
}

int app_smtp_get(app *a, const app_actor *by, json_t **out, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được xem cài đặt thư điện tử",
			       "only an administrator may see the e-mail settings");
	smtp_conf c;
	smtp_load(a, &c);
	*out = smtp_json(&c);
	smtp_release(&c);
	return MC_OK;
}

/* smtp://host[:port] or smtps://host[:port], nothing else in it. */
static int smtp_url_ok(const char *u)
{
	const char *host = strncmp(u, "smtp://", 7) == 0    ? u + 7
			   : strncmp(u, "smtps://", 8) == 0 ? u + 8
							    : NULL;
	if (!host || !*host || strlen(u) > 200)
		return 0;
	for (const char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(".-:[]", *p)))
			return 0;
	return 1;
}

static int smtp_check(const char *url, const char *user, const char *password, const char *from,
		      mc_err *e)
{
	if (url && *url && !smtp_url_ok(url))
		return mc_fail(e, MCE_SETTINGS_BAD_VALUE,
			       "url phải có dạng smtp://máy-chủ:cổng hoặc smtps://máy-chủ:cổng",
			       "url must be smtp://host:port or smtps://host:port");
	for (int i = 0; i < 2; i++) {
		const char *v = i ? password : user;
		if (!v)
			continue;
		int ok = strlen(v) <= 200;
		for (const char *p = v; ok && *p; p++)
			ok = (unsigned char)*p >= ' ' && *p != 0x7f;
		if (!ok)
			return mc_fail(e, MCE_SETTINGS_BAD_VALUE,
				       "%s: tối đa 200 byte, không có ký tự điều khiển",
				       "%s: at most 200 bytes, no control characters",
				       i ? "password" : "user");
	}
	if (from && app_email_check(from, e))
		return mc_fail(e, MCE_SETTINGS_BAD_VALUE,
			       "from: '%.60s' không phải địa chỉ thư điện tử hợp lệ",
			       "from: '%.60s' is not a valid e-mail address", from);
	return MC_OK;
}

int app_smtp_set(app *a, const app_actor *by, const char *url, const char *user,
		 const char *password, const char *from, mc_time now, json_t **out, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được thay đổi cài đặt thư điện tử",
			       "only an administrator may change the e-mail settings");
	*out = NULL;
	int rc = smtp_check(url, user, password, from, e);
	if (rc)
		return rc;
	smtp_conf c;
	rc = st_begin(a->st, e);
	if (!rc) {
		smtp_load(a, &c);
		const char *nu = url ? url : c.url, *nf = from ? from : c.from;
		if (*nu && !*nf)
			rc = mc_fail(e, MCE_SETTINGS_BAD_VALUE,
				     "from: cần địa chỉ gửi đi khi đã có url",
				     "from: a sender address is required with a url");
		if (!rc && url)
			rc = st_setting_set(a->st, "smtp_url", url, e);
		if (!rc && user)
			rc = st_setting_set(a->st, "smtp_user", user, e);
		if (!rc && password)
			rc = st_setting_set(a->st, "smtp_password", password, e);
		if (!rc && from)
			rc = st_setting_set(a->st, "smtp_from", from, e);
		smtp_release(&c);
		if (!rc) {
			smtp_load(a, &c);
			json_t *p = smtp_json(&c);
			rc = ev_append(a->st, now, by->login, "settings.smtp", NULL, p, NULL, e);
			*out = p;
			if (rc) {
				json_decref(p);
				*out = NULL;
			}
			smtp_release(&c);
		}
		rc = st_end(a->st, rc, e);
		if (rc && *out) {
			json_decref(*out);
			*out = NULL;
		}
	}
	return rc;
}

/* ---- the sweeper thread of serve ---- */

#define SWEEP_EVERY 60 /* seconds */

static pthread_t sw_th;
static int sw_running;
static int sw_stop;
static char sw_dir[512];
static pthread_mutex_t sw_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sw_cv = PTHREAD_COND_INITIALIZER;

static void *sweeper(void *arg)
{
	(void)arg;
	app *a = NULL;
	mc_err e;
	if (app_open(sw_dir, &a, &e)) {
		fprintf(stderr, "motcua: notifications: %s\n", e.msg);
		return NULL;
	}
	pthread_mutex_lock(&sw_mu);
	while (!sw_stop) {
		pthread_mutex_unlock(&sw_mu);
		if (app_refresh(a, &e) || app_notify_sweep(a, app_now(), NULL, &e))
			fprintf(stderr, "motcua: notifications: %s\n", e.msg);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += SWEEP_EVERY;
		pthread_mutex_lock(&sw_mu);
		if (!sw_stop)
			pthread_cond_timedwait(&sw_cv, &sw_mu, &until);
	}
	pthread_mutex_unlock(&sw_mu);
	app_close(a);
	return NULL;
}

int app_notify_start(const char *dir, mc_err *e)
{
	/* Tests that step the clock sweep by hand (motcua notify-sweep). */
	const char *env = getenv("MOTCUA_NOTIFY_SWEEP");
	if (env && strcmp(env, "0") == 0)
		return MC_OK;
	snprintf(sw_dir, sizeof sw_dir, "%s", dir);
	sw_stop = 0;
	if (pthread_create(&sw_th, NULL, sweeper, NULL) != 0)
		return mc_fail(e, MCE_INTERNAL, "không khởi động được luồng gửi thông báo",
			       "cannot start the notification thread");
	sw_running = 1;
	return MC_OK;
}

void app_notify_stop(void)
{
	if (!sw_running)
		return;
	pthread_mutex_lock(&sw_mu);
	sw_stop = 1;
	pthread_cond_broadcast(&sw_cv);
	pthread_mutex_unlock(&sw_mu);
	pthread_join(sw_th, NULL);
	sw_running = 0;
}
