/*
 * reportbench.c - make bench (bench/reports.sh, motcua test-bench-reports):
 * a node filled with a province's worth of made-up dossiers, commune by
 * commune, with the rows and the events the real use cases would leave,
 * and the baseline the reports are timed against (an indexed count of the
 * rows they read). Nothing but the bench calls this file.
 */
#include "app/app_int.h"
#include "app/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cal.h"
#include "core/dl.h"
#include "core/rep.h"
#include "core/txt.h"
#include "store/ev.h"
#include "store/st_report.h"

#define BATCH 2000
#define PROCS_MAX 512
#define DAY 86400

static const char *const surnames[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ",
					"Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lò", "Hà" };
static const char *const givens[] = { "Văn An", "Thị Bình", "Hữu Cường", "Đức Dũng",
				      "Thị Hoa", "Minh Hùng", "Thu Hương", "Ngọc Lan",
				      "Quang Long", "Thị Mai", "Xuân Nam", "Hồng Nhung",
				      "Văn Sơn", "Thanh Tâm", "Thị Yến", "Văn Đạt" };
/* The officers of every commune (a login is only a name in a record). */
static const char *const officers[] = { "canbo1", "canbo2", "canbo3", "canbo4", "canbo5" };

typedef struct {
	char code[32];
	double t[3];
	int unit[3];
} bproc;

typedef struct {
	bproc *p;
	int n;
} bprocs;

typedef struct {
	app *a;
	mc_time now;
	int agencies;
	int64_t *serial; /* per agency */
	bprocs procs;
	uint64_t rnd;
} bfill;

/* splitmix64: the figures must be the same from run to run (seeded). */
static uint64_t rnd(bfill *f)
{
	uint64_t z = (f->rnd += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 0 <= x < n; n > 0. */
static int64_t below(bfill *f, int64_t n)
{
	return n > 0 ? (int64_t)(rnd(f) % (uint64_t)n) : 0;
}

/* Percent chance p. */
static int chance(bfill *f, int p)
{
	return below(f, 100) < p;
}

static int proc_cb(void *ctx, const st_procedure *p)
{
	bprocs *ps = ctx;
	if (ps->n < PROCS_MAX && strlen(p->code) < sizeof ps->p[0].code)
		snprintf(ps->p[ps->n++].code, sizeof ps->p[0].code, "%s", p->code);
	return 0;
}

/* Keeps the procedures with a time at the desk (a dossier needs a due time
 * to be judged early, on time or late), with their time on each channel
 * (the desk's where a channel has none). */
static void proc_times(st *s, bprocs *ps)
{
	int kept = 0;
	for (int i = 0; i < ps->n; i++) {
		bproc b = ps->p[i];
		mc_err ig;
		if (st_procedure_time(s, b.code, ST_CH_DIRECT, &b.t[ST_CH_DIRECT],
				      &b.unit[ST_CH_DIRECT], NULL, NULL, 0, &ig) != MC_OK)
			continue;
		for (int c = 0; c < 3; c++)
			if (c != ST_CH_DIRECT &&
			    st_procedure_time(s, b.code, c, &b.t[c], &b.unit[c], NULL, NULL, 0,
					      &ig) != MC_OK) {
				b.t[c] = b.t[ST_CH_DIRECT];
				b.unit[c] = b.unit[ST_CH_DIRECT];
			}
		ps->p[kept++] = b;
	}
	ps->n = kept;
}

static void agency_code(int i, char out[64])
{
	snprintf(out, 64, "000.%02d.45.H45", i);
}

/* The communes, named, so a report by commune reads like one (the node's
 * own agency keeps its name and its is_self). */
static int put_agencies(bfill *f, mc_err *e)
{
	int rc = MC_OK;
	for (int i = 0; !rc && i < f->agencies; i++) {
		char code[64], name[64];
		agency_code(i, code);
		if (strcmp(code, f->a->agency) == 0)
			continue;
		snprintf(name, sizeof name, "Xã Thử Nghiệm %02d", i);
		rc = st_agency_put(f->a->st, code, name, "commune", NULL, 0, e);
	}
	return rc;
}

/* The record an event carries: the fields a report or a replay of the log
 * reads (the real one, dossier.c's, has the applicant too). */
static json_t *record_json(const st_dossier *d)
{
	const dsr_rec *r = &d->r;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, s:i, s:i, "
			 "s:o, s:o*}",
			 "code", d->code, "agency", r->agency, "procedure", d->procedure,
			 "channel", d->channel, "status", dsr_state_name(r->state), "submitted_at",
			 app_json_time(d->submitted_at), "received_at",
			 app_json_time(r->received_at), "due_at", app_json_time(r->due_at),
			 "due_legal", app_json_time(r->due_legal), "paused_at",
			 app_json_time(r->paused_at), "assignee", r->assignee, "supplements",
			 r->supplements, "supplements_processing", r->supplements_processing,
			 "finished_at", app_json_time(r->finished_at), "timeliness",
			 r->timeliness ? json_string(dl_timeliness_name(r->timeliness)) : NULL);
}

/* Appends one step of d (as it stands after the step) at t. */
static int step(bfill *f, st_dossier *d, mc_time t, const char *actor, const char *action,
		int from, mc_err *e)
{
	char kind[64];
	snprintf(kind, sizeof kind, "dossier.%s", action);
	json_t *p = json_pack("{s:s, s:s?, s:s, s:s, s:o, s:o}", "action", action, "from",
			      from >= 0 ? dsr_state_name(from) : NULL, "to",
			      dsr_state_name(d->r.state), "comment", "", "step_due",
			      app_json_time(d->r.due_at), "dossier", record_json(d));
	if (!p)
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	int rc = ev_append(f->a->st, t, actor, kind, d->code, p, &d->last_seq, e);
	json_decref(p);
	return rc;
}

/* ---- one dossier ---- */

typedef struct {
	mc_time t;             /* received */
	mc_time paused, resumed; /* one supplement wait, or 0 */
	int64_t added;         /* the working time the wait added to the due times */
	mc_time finished, returned;
	int end_state;         /* DSR_RESULT_READY ... or an open state */
} plan;

/* When processing ends, judged against due: early, on time or late in a
 * mix like a commune's (DOMAIN.md), never before lo nor after now.
 * OUT: 0 when it cannot end by now (it stays open). */
static mc_time finish_time(bfill *f, mc_time lo, mc_time due)
{
	int32_t dd = cal_local_day(due);
	mc_time early_hi = cal_time_of(dd - 1, 17 * 3600), day_lo = cal_time_of(dd, 7 * 3600);
	int64_t pick = below(f, 100);
	mc_time t = 0;
	if (pick < 70 && early_hi > lo)
		t = lo + below(f, early_hi - lo);
	else if (pick < 92 && due > lo)
		t = (day_lo > lo ? day_lo : lo) + below(f, due - (day_lo > lo ? day_lo : lo) + 1);
	else
		t = (due > lo ? due : lo) + DAY + below(f, 20 * DAY);
	return t < f->now ? t : 0;
}

static int plan_ends(bfill *f, st_dossier *d, plan *p, mc_err *e)
{
	dsr_rec *r = &d->r;
	int64_t age = f->now - p->t;
	/* One dossier in ten waits once for a supplement while in processing. */
	if (chance(f, 10)) {
		int64_t span = r->due_legal - p->t;
		p->paused = p->t + 3600 + below(f, span > 7200 ? span / 2 : 3600);
		p->resumed = p->paused + DAY + below(f, 7 * DAY);
		if (p->paused >= f->now)
			p->paused = p->resumed = 0;
		else if (p->resumed >= f->now)
			p->resumed = 0; /* still waiting */
	}
	mc_time due = r->due_legal;
	if (p->resumed) {
		/* as dsr.c resumes a clock: whole minutes of working time */
		p->added = dl_working_secs(f->a->clock.sched, f->a->clock.hours, p->paused,
					   p->resumed);
		p->added -= p->added % 60;
		int rc = dl_add_working(f->a->clock.sched, f->a->clock.hours, due, p->added, &due,
					e);
		if (rc)
			return rc;
	}
	/* About 85 % ended: three in four of those received in the last three
	 * months are still open, and an old backlog of about one in sixteen. */
	int open = p->paused && !p->resumed ? 1 : chance(f, age < 90 * DAY ? 75 : 6);
	if (!open) {
		mc_time lo = (p->resumed ? p->resumed : p->t) + 1800;
		p->finished = finish_time(f, lo, due);
		open = p->finished == 0;
	}
	if (open) {
		int64_t k = below(f, 10);
		p->end_state = p->paused && !p->resumed ? DSR_SUPPLEMENT
			       : k < 1 && !p->paused	? DSR_RECEIVED
			       : k < 2			? DSR_AWAITING_APPROVAL
							: DSR_PROCESSING;
		p->finished = 0;
		return MC_OK;
	}
	int64_t k = below(f, 100);
	p->end_state = k < 6 ? DSR_STOPPED : k < 10 ? DSR_WITHDRAWN : DSR_RESULT_READY;
	if (p->end_state == DSR_RESULT_READY && k >= 25) {
		p->returned = p->finished + below(f, 5 * DAY);
		if (p->returned < f->now)
			p->end_state = DSR_RETURNED;
		else
			p->returned = 0;
	}
	return MC_OK;
}

static void fill_row(bfill *f, int i, int n, st_dossier *d, char *name, char *id, char *phone)
{
	memset(d, 0, sizeof *d);
	int ag = (int)below(f, f->agencies);
	agency_code(ag, d->r.agency);
	snprintf(d->origin, sizeof d->origin, "%s", d->r.agency);
	const bproc *pr = &f->procs.p[below(f, f->procs.n)];
	snprintf(d->procedure, sizeof d->procedure, "%s", pr->code);
	int64_t c = below(f, 100);
	int ch = c < 25 ? ST_CH_ONLINE : c < 30 ? ST_CH_POSTAL : ST_CH_DIRECT;
	snprintf(d->channel, sizeof d->channel, "%s",
		 ch == ST_CH_ONLINE ? "online" : ch == ST_CH_POSTAL ? "postal" : "direct");
	d->r.time_amount = pr->t[ch];
	d->r.time_unit = pr->unit[ch];
	d->r.resume_state = -1;
	/* Received in time order over the two years before now, as a node
	 * fills: its indexes grow at their end. */
	mc_time span = 730 * (mc_time)DAY, t0 = f->now - span;
	mc_time t = t0 + (mc_time)((double)span * i / n) + below(f, 600);
	d->submitted_at = ch == ST_CH_ONLINE ? t - below(f, DAY) : t;
	d->r.received_at = t;
	char day[8];
	int y, m, dd;
	cal_civil_from_days(cal_local_day(t), &y, &m, &dd);
	snprintf(day, sizeof day, "%02d%02d%02d", y % 100, m, dd);
	int64_t no = ++f->serial[ag];
	snprintf(d->code, sizeof d->code, "%s-%s-%04lld", d->r.agency, day, (long long)no);
	d->register_book = y;
	d->register_no = no;
	snprintf(name, 96, "%s %s", surnames[below(f, MC_ARRAY_LEN(surnames))],
		 givens[below(f, MC_ARRAY_LEN(givens))]);
	snprintf(id, 16, "025%09lld", (long long)below(f, 1000000000));
	snprintf(phone, 16, "09%08lld", (long long)below(f, 100000000));
	d->name = name;
	d->id_number = id;
	d->phone = phone;
	d->email = d->address = d->note = d->collected_by = d->org_name = d->representative =
		(char *)"";
	d->summary = (char *)"Hồ sơ đo hiệu năng báo cáo";
	d->components = (char *)"[]";
	snprintf(d->id_type, sizeof d->id_type, "cccd");
	snprintf(d->kind, sizeof d->kind, "person");
	d->sets = 1;
}

/* Moves d to the state it ends the fill in (p): the end of processing or
 * an open state, and its last step. */
static int last_step(bfill *f, st_dossier *d, const plan *p, const char *desk,
		     const char *officer, mc_err *e)
{
	int from = d->r.state;
	if (!p->finished) {
		if (p->end_state == from)
			return MC_OK;
		d->r.state = p->end_state;
		d->updated_at = p->end_state == DSR_PROCESSING ? p->t + 600 : d->updated_at + 3600;
		return step(f, d, d->updated_at, officer,
			    p->end_state == DSR_PROCESSING ? "assign" : "submit_approval", from, e);
	}
	d->r.state = p->end_state;
	d->r.finished_at = d->updated_at = p->finished;
	d->r.timeliness = dl_timeliness(p->finished, d->r.due_legal);
	const char *action = p->end_state == DSR_STOPPED     ? "stop"
			     : p->end_state == DSR_WITHDRAWN ? "withdraw"
			     : p->end_state == DSR_RETURNED  ? "return"
							     : "approve";
	if (p->returned) {
		d->r.returned_at = d->updated_at = p->returned;
		d->collected_by = d->name;
	}
	return step(f, d, d->updated_at,
		    p->returned || p->end_state == DSR_WITHDRAWN ? desk : "lanhdao", action, from, e);
}

/* The rows and events of one dossier: its reception and the step it ends
 * the fill with (the steps between, assignment and approval before a
 * return, are left out: the reports read the rows, and the log stays at
 * about two events a dossier), and a supplement wait's two steps. The
 * wait goes through the row's own updates, so schema 0014's triggers keep
 * it in dossier_pause as they do for a real one. */
static int one(bfill *f, int i, int n, mc_err *e)
{
	st_dossier d;
	char name[96], id[16], phone[16];
	fill_row(f, i, n, &d, name, id, phone);
	plan p = { .t = d.r.received_at };
	int rc = dsr_start_clock(&d.r, p.t, &f->a->clock, e);
	if (!rc)
		rc = plan_ends(f, &d, &p, e);
	if (rc)
		return rc;
	const char *desk = "tiepnhan", *officer = officers[below(f, MC_ARRAY_LEN(officers))];
	d.r.state = DSR_RECEIVED;
	d.updated_at = p.t;
	rc = step(f, &d, p.t, desk, "receive", -1, e);
	if (p.end_state != DSR_RECEIVED)
		snprintf(d.r.assignee, sizeof d.r.assignee, "%s", officer);
	char *fold = txt_fold(name);
	if (!rc && !p.paused) {
		rc = last_step(f, &d, &p, desk, officer, e);
		if (!rc)
			rc = st_dossier_insert(f->a->st, &d, fold ? fold : "", e);
		free(fold);
		return rc;
	}
	d.r.state = DSR_PROCESSING;
	if (!rc)
		rc = st_dossier_insert(f->a->st, &d, fold ? fold : "", e);
	free(fold);
	if (rc)
		return rc;
	d.r.state = DSR_SUPPLEMENT;
	d.r.resume_state = DSR_PROCESSING;
	d.r.paused_at = d.updated_at = p.paused;
	d.r.supplements = d.r.supplements_processing = 1;
	rc = step(f, &d, p.paused, officer, "request_supplement", DSR_PROCESSING, e);
	if (!rc)
		rc = st_dossier_update(f->a->st, &d, e);
	if (rc || !p.resumed)
		return rc;
	rc = dl_add_working(f->a->clock.sched, f->a->clock.hours, d.r.due_legal, p.added,
			    &d.r.due_legal, e);
	if (!rc)
		rc = dl_add_working(f->a->clock.sched, f->a->clock.hours, d.r.due_at, p.added,
				    &d.r.due_at, e);
	d.r.state = DSR_PROCESSING;
	d.r.resume_state = -1;
	d.r.paused_at = 0;
	d.updated_at = p.resumed;
	if (!rc)
		rc = step(f, &d, p.resumed, desk, "supplement_received", DSR_SUPPLEMENT, e);
	if (!rc)
		rc = st_dossier_update(f->a->st, &d, e);
	if (!rc && (p.finished || p.end_state != DSR_PROCESSING)) {
		rc = last_step(f, &d, &p, desk, officer, e);
		if (!rc)
			rc = st_dossier_update(f->a->st, &d, e);
	}
	return rc;
}

int app_report_bench_fill(app *a, int n, int agencies, unsigned seed, mc_time now, mc_err *e)
{
	if (n < 1 || agencies < 1 || agencies > 100)
		return mc_fail(e, MCE_INVALID, "n phải dương, agencies từ 1 đến 100",
			       "n must be positive and agencies 1 to 100");
	bfill f = { .a = a, .now = now, .agencies = agencies,
		    .rnd = seed };
	f.serial = mc_xcalloc((size_t)agencies, sizeof *f.serial);
	f.procs.p = mc_xcalloc(PROCS_MAX, sizeof *f.procs.p);
	int rc = st_procedure_list(a->st, NULL, NULL, proc_cb, &f.procs, e);
	if (!rc)
		proc_times(a->st, &f.procs);
	if (!rc && f.procs.n == 0)
		rc = mc_fail(e, MCE_NOT_FOUND,
			     "không có thủ tục nào có thời hạn giải quyết: nhập danh mục thủ tục trước",
			     "no procedure with a processing time: import the catalog first");
	if (!rc) {
		rc = st_begin(a->st, e);
		if (!rc)
			rc = put_agencies(&f, e);
		rc = st_end(a->st, rc, e);
	}
	for (int i = 0; !rc && i < n; i += BATCH) {
		rc = st_begin(a->st, e);
		for (int k = i; !rc && k < n && k < i + BATCH; k++)
			rc = one(&f, k, n, e);
		rc = st_end(a->st, rc, e);
		int done = i + BATCH < n ? i + BATCH : n;
		if (!rc && (done % 100000 == 0 || done == n))
			fprintf(stderr, "  %d dossiers\n", done);
	}
	free(f.serial);
	free(f.procs.p);
	return rc;
}

/* ---- the baseline ---- */

typedef struct {
	app *a;
	mc_time from, end;
	int64_t n;
	mc_err *e;
} bcount;

static int count_one(void *ctx, const char *agency)
{
	bcount *c = ctx;
	int64_t k = 0;
	int rc = st_report_count(c->a->st, agency, c->from, c->end, &k, c->e);
	c->n += k;
	return rc;
}

int app_report_bench_count(app *a, const char *from, const char *to, mc_time now, int64_t *n,
			   mc_err *e)
{
	int32_t d0 = 0, d1 = 0;
	int rc = cal_parse_date(from, &d0, e);
	if (!rc)
		rc = cal_parse_date(to, &d1, e);
	if (rc)
		return rc;
	bcount c = { a, cal_time_of(d0, 0), rep_end(cal_time_of(d1 + 1, 0), now), 0, e };
	rc = st_report_agencies(a->st, 0, count_one, &c, e);
	if (!rc)
		*n = c.n;
	return rc;
}
