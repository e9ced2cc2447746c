/*
 * reports.c - Biểu II.06a, the Decision 766 indicators and their trend
 * (reports.h). The rules of what counts where are core's (rep.h); this
 * file walks the facts the store gives, adds them up by the grouping asked
 * for, and lays the result out for the API, the exports and the charts.
 */
#include "app/app_int.h"
#include "app/reports.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cal.h"
#include "core/rep.h"
#include "core/txt.h"
#include "doc/chart.h"
#include "doc/table.h"
#include "store/st_report.h"

enum { K_II06A, K_766, K_TREND };
enum { BY_FIELD, BY_PROCEDURE, BY_OFFICER, BY_CHANNEL, BY_COMMUNE, BY_NONE };
static const char *const by_names[] = { "field", "procedure", "officer", "channel", "commune",
					"" };
static const char *const by_labels[] = { "Lĩnh vực", "Thủ tục hành chính", "Cán bộ xử lý",
					 "Kênh tiếp nhận", "Xã", "" };

#define MAX_DAYS 366
#define DRILL_MAX 2000
#define IND_MAX 16

typedef struct {
	char *key, *label;
	char *order; /* the label folded: Vietnamese order (Đ among the D) */
	int64_t cell[REP_N_CELLS];
	int64_t num[IND_MAX], den[IND_MAX];
} grp;

typedef struct {
	app *a;
	int kind, by, hub, all;
	mc_time from, end; /* end: the instant after the last day, or now if sooner */
	int32_t last_day;  /* the period's last day as asked */
	int charts;        /* draw the charts (not for the exports) */
	mc_time as_of;     /* the instant the figures describe */
	json_t *procs;  /* code -> [name, field] */
	json_t *people; /* login -> name */
	json_t *index;  /* key -> position in g */
	grp *g;
	size_t n, cap;
	grp total;
	const char *agency; /* of the walk under way */
	/* drill-down */
	int drill;
	const char *row;
	unsigned col_cells; /* ii06a */
	int ind, num;       /* 766: indicator, numerator (1) or denominator */
	json_t *items;
	int64_t matched;
	int oom;
} rctx;

#define fail_param(e, vi, en) mc_fail((e), MCE_REPORT_BAD_PARAM, vi, en)

/* ---- the request ---- */

static int parse_req(app *a, const app_report_req *q, mc_time now, rctx *c, mc_err *e)
{
	const char *name = q->name ? q->name : "";
	if (strcmp(name, "ii06a") == 0)
		c->kind = K_II06A;
	else if (strcmp(name, "766") == 0)
		c->kind = K_766;
	else if (strcmp(name, "trend") == 0)
		c->kind = K_TREND;
	else
		return mc_fail(e, MCE_REPORT_UNKNOWN, "không có báo cáo này (ii06a, 766, trend)",
			       "no such report (ii06a, 766, trend)");
	c->a = a;
	c->hub = a->hub;
	c->all = q->all && !a->hub;
	int32_t today = cal_local_day(now), d0, d1 = today;
	int y, m, d;
	cal_civil_from_days(today, &y, &m, &d);
	d0 = cal_days_from_civil(y, m, 1);
	mc_err pe;
	if (q->from && *q->from && cal_parse_date(q->from, &d0, &pe))
		return fail_param(e, "from phải là ngày YYYY-MM-DD", "from must be a date YYYY-MM-DD");
	if (q->to && *q->to && cal_parse_date(q->to, &d1, &pe))
		return fail_param(e, "to phải là ngày YYYY-MM-DD", "to must be a date YYYY-MM-DD");
	if (d1 < d0 || d1 - d0 + 1 > MAX_DAYS)
		return fail_param(e, "kỳ báo cáo (from, to) phải từ 1 đến 366 ngày, from không sau to",
				  "the period (from, to) must be 1 to 366 days, from not after to");
	c->from = cal_time_of(d0, 0);
	c->last_day = d1;
	c->end = rep_end(cal_time_of(d1 + 1, 0), now);
	c->as_of = c->end > now ? now : c->end;
	const char *by = q->by && *q->by ? q->by : NULL;
	if (c->kind == K_II06A) {
		c->by = c->hub || c->all ? BY_COMMUNE : BY_FIELD;
		if (by) {
			c->by = -1;
			for (int i = 0; i < BY_NONE; i++)
				if (strcmp(by, by_names[i]) == 0)
					c->by = i;
		}
	} else {
		c->by = c->hub || c->all ? BY_COMMUNE : BY_NONE;
		if (by)
			c->by = strcmp(by, "commune") == 0 ? BY_COMMUNE : -1;
	}
	if (c->by < 0)
		return fail_param(e,
				  "by phải là field, procedure, officer, channel hoặc commune "
				  "(báo cáo 766 và trend: commune)",
				  "by must be field, procedure, officer, channel or commune (766 and "
				  "trend: commune)");
	if (q->agency && *q->agency && !c->hub)
		return fail_param(e, "agency chỉ dùng trên máy chủ của tỉnh",
				  "agency is for the provincial hub only");
	return MC_OK;
}

static int may_read(const app_actor *by, mc_err *e)
{
	if (by->role & (ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR))
		return MC_OK;
	return mc_fail(e, MCE_FORBIDDEN, "chỉ lãnh đạo, quản trị và giám sát được xem báo cáo",
		       "only leaders, administrators and supervisors may read reports");
}

/* ---- names ---- */

static int proc_cb(void *ctx, const st_procedure *p)
{
	json_object_set_new((json_t *)ctx, p->code, json_pack("[s, s]", p->name, p->field));
	return 0;
}

static const char *proc_part(rctx *c, const char *code, int i)
{
	const char *s = json_string_value(json_array_get(json_object_get(c->procs, code), i));
	return s && *s ? s : NULL;
}

static const char *person(rctx *c, const char *login)
{
	json_t *v = json_object_get(c->people, login);
	if (!v) {
		st_user u;
		mc_err ig;
		v = json_string(st_user_get(c->a->st, login, &u, &ig) == MC_OK ? u.name : login);
		json_object_set_new(c->people, login, v);
	}
	return json_string_value(v);
}

static const char *channel_label(const char *ch)
{
	if (strcmp(ch, "online") == 0)
		return "Trực tuyến";
	if (strcmp(ch, "postal") == 0)
		return "Dịch vụ bưu chính";
	return "Trực tiếp";
}

/* The row a dossier falls in: key and label. */
static void row_of(rctx *c, const st_report_row *r, const char **key, const char **label)
{
	switch (c->by) {
	case BY_FIELD:
		*key = *label = proc_part(c, r->procedure, 1) ? proc_part(c, r->procedure, 1)
							      : "Lĩnh vực khác";
		break;
	case BY_PROCEDURE:
		*key = r->procedure;
		*label = proc_part(c, r->procedure, 0) ? proc_part(c, r->procedure, 0) : r->procedure;
		break;
	case BY_OFFICER:
		*key = r->assignee;
		*label = *r->assignee ? person(c, r->assignee) : "Chưa phân công";
		break;
	case BY_CHANNEL:
		*key = r->channel;
		*label = channel_label(r->channel);
		break;
	case BY_COMMUNE:
		*key = *label = r->agency; /* named after the walk */
		break;
	default:
		*key = *label = "";
	}
}

static grp *group_of(rctx *c, const char *key, const char *label)
{
	json_t *ix = json_object_get(c->index, key);
	if (ix)
		return &c->g[json_integer_value(ix)];
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		grp *g = realloc(c->g, cap * sizeof *g);
		if (!g)
			return NULL;
		c->g = g;
		c->cap = cap;
	}
	grp *g = &c->g[c->n];
	memset(g, 0, sizeof *g);
	g->key = strdup(key);
	g->label = strdup(label);
	g->order = txt_fold(label);
	if (!g->key || !g->label || !g->order || json_object_set_new(c->index, key, json_integer((json_int_t)c->n))) {
		free(g->key);
		free(g->label);
		free(g->order);
		return NULL;
	}
	c->n++;
	return g;
}

/* ---- the walk ---- */

static void add(grp *g, unsigned cells, unsigned flags, int kind)
{
	for (int i = 0; i < REP_N_CELLS; i++)
		if (cells & (1u << i))
			g->cell[i]++;
	if (kind == K_II06A)
		return;
	for (int i = 0; i < rep_766_n && i < IND_MAX; i++) {
		g->num[i] += rep_in(&rep_766[i], flags, 1);
		g->den[i] += rep_in(&rep_766[i], flags, 0);
	}
}

static json_t *drill_item(const st_report_row *r, rctx *c, unsigned cells)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "code", r->code,
			      "agency", r->agency, "procedure", r->procedure, "channel", r->channel,
			      "assignee", r->assignee, "received_at", app_json_time(r->f.received),
			      "finished_at",
			      app_json_time(r->f.finished && r->f.finished < c->end ? r->f.finished : 0),
			      "due_legal", app_json_time(r->f.due_legal - r->f.added_after),
			      "overdue", (cells & (1u << REP_PENDING_OVERDUE)) != 0);
	const char *pn = proc_part(c, r->procedure, 0);
	if (o && pn)
		json_object_set_new(o, "procedure_name", json_string(pn));
	static const char *const verdict[] = { NULL, "early", "on_time", "late" };
	if (o && r->f.finished && r->f.finished < c->end && r->f.timeliness >= 1 &&
	    r->f.timeliness <= 3)
		json_object_set_new(o, "timeliness", json_string(verdict[r->f.timeliness]));
	return o;
}

static int walk_cb(void *ctx, const st_report_row *r)
{
	rctx *c = ctx;
	unsigned cells = rep_cells(&r->f, c->from, c->end);
	if (!cells)
		return 0;
	unsigned flags = rep_flags(&r->f, cells);
	const char *key, *label;
	row_of(c, r, &key, &label);
	if (c->drill) {
		if (c->row && *c->row && strcmp(c->row, key) != 0)
			return 0;
		int in = c->kind == K_II06A ? (cells & c->col_cells) != 0
					    : rep_in(&rep_766[c->ind], flags, c->num);
		if (!in)
			return 0;
		if (c->matched++ < DRILL_MAX) {
			json_t *it = drill_item(r, c, cells);
			if (!it || json_array_append_new(c->items, it)) {
				c->oom = 1;
				return 1;
			}
		}
		return 0;
	}
	add(&c->total, cells, flags, c->kind);
	if (c->by == BY_NONE)
		return 0;
	grp *g = group_of(c, key, label);
	if (!g) {
		c->oom = 1;
		return 1;
	}
	add(g, cells, flags, c->kind);
	return 0;
}

typedef struct {
	rctx *c;
	const char *only;
	mc_err *e;
} agency_walk;

static int agency_cb(void *ctx, const char *agency)
{
	agency_walk *w = ctx;
	if (w->only && *w->only && strcmp(w->only, agency) != 0)
		return 0;
	w->c->agency = agency;
	int rc = st_report_walk(w->c->a->st, w->c->hub, agency, w->c->from, w->c->end,
				w->c->kind != K_II06A, walk_cb, w->c, w->e);
	if (rc == 1 && w->c->oom)
		rc = mc_fail(w->e, MCE_INTERNAL, "hết bộ nhớ khi lập báo cáo",
			     "out of memory while making the report");
	return rc;
}

/* Walks the agencies in scope: the node's own, or on a hub each commune
 * (or the one asked for). */
static int walk(rctx *c, const char *only, mc_err *e)
{
	if (!c->hub && !c->all) {
		agency_walk w = { c, NULL, e };
		return agency_cb(&w, c->a->agency);
	}
	agency_walk w = { c, only, e };
	return st_report_agencies(c->a->st, c->hub, agency_cb, &w, e);
}

static int setup(rctx *c, mc_err *e)
{
	c->procs = json_object();
	c->people = json_object();
	c->index = json_object();
	if (!c->procs || !c->people || !c->index)
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	return st_procedure_list(c->a->st, NULL, NULL, proc_cb, c->procs, e);
}

static void teardown(rctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->g[i].key);
		free(c->g[i].label);
		free(c->g[i].order);
	}
	free(c->g);
	json_decref(c->procs);
	json_decref(c->people);
	json_decref(c->index);
	json_decref(c->items);
}

static int by_label(const void *x, const void *y)
{
	const grp *a = x, *b = y;
	int r = strcmp(a->order, b->order);
	if (!r)
		r = strcmp(a->label, b->label);
	return r ? r : strcmp(a->key, b->key);
}

/* Communes are named once the walk is over. */
static void name_communes(rctx *c)
{
	if (c->by != BY_COMMUNE)
		return;
	for (size_t i = 0; i < c->n; i++) {
		char name[256];
		mc_err ig;
		if (st_agency_get(c->a->st, c->g[i].key, name, sizeof name, &ig) == MC_OK && *name) {
			char *l = strdup(name);
			char *o = l ? txt_fold(l) : NULL;
			if (l && o) {
				free(c->g[i].label);
				free(c->g[i].order);
				c->g[i].label = l;
				c->g[i].order = o;
			} else {
				free(l);
				free(o);
			}
		}
	}
}

/* ---- laying out ---- */

static int64_t col_value(const grp *g, const rep_column *col)
{
	int64_t v = 0;
	for (int i = 0; i < REP_N_CELLS; i++)
		if (col->cells & (1u << i))
			v += g->cell[i];
	return v;
}

static json_t *ii06a_values(const grp *g)
{
	json_t *o = json_object();
	for (int i = 0; i < rep_ii06a_n_columns; i++)
		json_object_set_new(o, rep_ii06a_columns[i].key,
				    json_integer(col_value(g, &rep_ii06a_columns[i])));
	return o;
}

static json_t *cell(const char *text, int rows, int cols)
{
	return json_pack("{s:s, s:i, s:i}", "text", text, "rows", rows, "cols", cols);
}

static void period_text(const rctx *c, char *out, size_t size)
{
	char f[11], t[11];
	cal_format_date(cal_local_day(c->from), f);
	cal_format_date(c->last_day, t);
	snprintf(out, size, "Kỳ báo cáo: từ ngày %.2s/%.2s/%.4s đến ngày %.2s/%.2s/%.4s", f + 8,
		 f + 5, f, t + 8, t + 5, t);
}

static json_t *unit_line(const rctx *c)
{
	char line[400];
	snprintf(line, sizeof line, "%s: %s", c->hub ? "Đơn vị tổng hợp" : "Đơn vị báo cáo",
		 c->a->agency_name);
	return json_string(line);
}

static json_t *ii06a_table(const rctx *c)
{
	char period[200];
	period_text(c, period, sizeof period);
	json_t *h1 = json_pack("[o, o, o, o, o]", cell("STT", 3, 1),
			       cell(by_labels[c->by], 3, 1), cell("Số hồ sơ nhận giải quyết", 1, 4),
			       cell("Số hồ sơ đã giải quyết", 1, 4),
			       cell("Số hồ sơ đang giải quyết", 1, 3));
	json_t *h2 = json_pack("[o, o, o, o, o, o, o, o, o, o]", cell("Tổng số", 2, 1),
			       cell("Số kỳ trước chuyển qua", 2, 1), cell("Số mới tiếp nhận", 1, 2),
			       cell("Tổng số", 2, 1), cell("Trả trước hạn", 2, 1),
			       cell("Trả đúng thời hạn", 2, 1), cell("Trả quá hạn", 2, 1),
			       cell("Tổng số", 2, 1), cell("Chưa đến hạn", 2, 1), cell("Quá hạn", 2, 1));
	json_t *h3 = json_pack("[o, o]", cell("Trực tuyến", 1, 1),
			       cell("Trực tiếp, dịch vụ bưu chính", 1, 1));
	json_t *cols = json_pack("[{s:s, s:i}, {s:s, s:i}]", "type", "int", "width", 6, "type",
				 "text", "width", 36);
	json_t *sum = json_array();
	for (int i = 0; i < rep_ii06a_n_columns; i++) {
		json_array_append_new(cols, json_pack("{s:s, s:i}", "type", "int", "width", 11));
		json_array_append_new(sum, json_integer(i + 2));
	}
	json_t *rows = json_array();
	for (size_t i = 0; i < c->n; i++) {
		json_t *r = json_pack("[I, s]", (json_int_t)(i + 1), c->g[i].label);
		for (int k = 0; k < rep_ii06a_n_columns; k++)
			json_array_append_new(r, json_integer(col_value(&c->g[i],
									&rep_ii06a_columns[k])));
		json_array_append_new(rows, r);
	}
	return json_pack("{s:s, s:s, s:s, s:[s, o], s:[o, o, o], s:b, s:o, s:o, "
			 "s:{s:s, s:i, s:o}, s:[s]}",
			 "sheet", "II.06a", "form", "Biểu số II.06a/VPCP/KSTT", "title",
			 "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
			 "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
			 "subtitle", period, unit_line(c), "head", h1, h2, h3, "numbered", 1,
			 "columns", cols, "rows", rows, "total", "label", "Tổng cộng", "label_col",
			 1, "sum", sum, "notes",
			 "Hồ sơ quá hạn được xác định theo hạn giải quyết ban đầu (cộng thời gian "
			 "chờ bổ sung); hồ sơ bị yêu cầu bổ sung quá một lần trong khi giải quyết "
			 "được tính là trả quá hạn.");
}

static json_t *ii06a_json(rctx *c)
{
	json_t *columns = json_array(), *rows = json_array();
	static const char *const groups[] = { "received", "received", "received", "received",
					      "resolved", "resolved", "resolved", "resolved",
					      "pending", "pending", "pending" };
	for (int i = 0; i < rep_ii06a_n_columns; i++)
		json_array_append_new(columns, json_pack("{s:s, s:s, s:s, s:i}", "key",
							 rep_ii06a_columns[i].key, "label",
							 rep_ii06a_columns[i].label_vi, "group",
							 groups[i], "number", i + 3));
	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "key", c->g[i].key, "label",
						      c->g[i].label, "values",
						      ii06a_values(&c->g[i])));
	return json_pack("{s:o, s:o, s:o, s:o}", "columns", columns, "rows", rows, "total",
			 ii06a_values(&c->total), "table", ii06a_table(c));
}

static json_t *indicator_values(const grp *g, int i)
{
	const rep_indicator *ind = &rep_766[i];
	json_t *o = json_pack("{s:I, s:I, s:f}", "numerator", (json_int_t)g->num[i],
			      "denominator", (json_int_t)g->den[i], "points",
			      rep_points(ind, g->num[i], g->den[i]));
	json_object_set_new(o, "value", g->den[i] ? json_real((double)g->num[i] / (double)g->den[i])
						  : json_null());
	return o;
}

static double points_of(const grp *g)
{
	double p = 0;
	for (int i = 0; i < rep_766_n; i++)
		p += rep_points(&rep_766[i], g->num[i], g->den[i]);
	return p;
}

static json_t *flag_names(unsigned mask)
{
	json_t *a = json_array();
	for (int b = 0; b < 16; b++)
		if (mask & (1u << b))
			json_array_append_new(a, json_string(rep_flag_name(1u << b)));
	return a;
}

static json_t *s766_table(const rctx *c)
{
	char period[200];
	period_text(c, period, sizeof period);
	json_t *cols = json_array(), *rows = json_array(), *sum = json_array(), *head = json_array();
	json_array_append_new(cols, json_pack("{s:s, s:i}", "type", "int", "width", 6));
	json_array_append_new(head, cell("STT", 1, 1));
	if (c->by == BY_COMMUNE) {
		/* Communes side by side: one column of points per indicator. */
		json_array_append_new(cols, json_pack("{s:s, s:i}", "type", "text", "width", 30));
		json_array_append_new(head, cell("Xã", 1, 1));
		for (int i = 0; i < rep_766_n; i++) {
			char h[64];
			snprintf(h, sizeof h, "Chỉ số %s (%g điểm)", rep_766[i].id, rep_766[i].points);
			json_array_append_new(head, cell(h, 1, 1));
			json_array_append_new(cols, json_pack("{s:s, s:i}", "type", "number", "width",
							      12));
			json_array_append_new(sum, json_integer(i + 2));
		}
		json_array_append_new(head, cell("Tổng điểm", 1, 1));
		json_array_append_new(cols, json_pack("{s:s, s:i}", "type", "number", "width", 12));
		for (size_t k = 0; k < c->n; k++) {
			json_t *r = json_pack("[I, s]", (json_int_t)(k + 1), c->g[k].label);
			for (int i = 0; i < rep_766_n; i++)
				json_array_append_new(r, json_real(rep_points(&rep_766[i], c->g[k].num[i],
									      c->g[k].den[i])));
			json_array_append_new(r, json_real(points_of(&c->g[k])));
			json_array_append_new(rows, r);
		}
		/* The province's total is its own row below: points are not sums. */
		json_t *r = json_pack("[n, s]", "Toàn tỉnh");
		for (int i = 0; i < rep_766_n; i++)
			json_array_append_new(r, json_real(rep_points(&rep_766[i], c->total.num[i],
								      c->total.den[i])));
		json_array_append_new(r, json_real(points_of(&c->total)));
		json_array_append_new(rows, r);
		json_decref(sum);
		sum = NULL;
	} else {
		const char *hs[] = { "Chỉ số", "Nhóm", "Điểm tối đa", "Tử số", "Mẫu số", "Tỷ lệ",
				     "Điểm đạt" };
		const char *ts[] = { "text", "int", "number", "int", "int", "percent", "number" };
		int ws[] = { 60, 7, 10, 10, 10, 10, 10 };
		for (int i = 0; i < 7; i++) {
			json_array_append_new(head, cell(hs[i], 1, 1));
			json_array_append_new(cols, json_pack("{s:s, s:i}", "type", ts[i], "width", ws[i]));
		}
		for (int i = 0; i < rep_766_n; i++) {
			char label[400];
			snprintf(label, sizeof label, "%s. %s", rep_766[i].id, rep_766[i].name_vi);
			const grp *g = &c->total;
			json_t *r = json_pack("[i, s, i, f, I, I]", i + 1, label, rep_766[i].group,
					      rep_766[i].points, (json_int_t)g->num[i],
					      (json_int_t)g->den[i]);
			json_array_append_new(r, g->den[i] ? json_real((double)g->num[i] /
								       (double)g->den[i])
							   : json_null());
			json_array_append_new(r, json_real(rep_points(&rep_766[i], g->num[i],
								      g->den[i])));
			json_array_append_new(rows, r);
		}
		json_array_append_new(sum, json_integer(3)); /* points at most */
		json_array_append_new(sum, json_integer(7)); /* points reached */
	}
	json_t *t = json_pack("{s:s, s:s, s:[s, o], s:[o], s:o, s:o}", "sheet", "Chỉ số 766",
			      "title",
			      "KẾT QUẢ CHỈ SỐ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP "
			      "(QUYẾT ĐỊNH 766/QĐ-TTg)",
			      "subtitle", period, unit_line(c), "head", head, "columns", cols, "rows",
			      rows);
	if (sum)
		json_object_set_new(t, "total", json_pack("{s:s, s:i, s:o}", "label", "Tổng cộng",
							  "label_col", 1, "sum", sum));
	json_object_set_new(t, "notes",
			    json_pack("[s]", "Chỉ gồm các chỉ số một đơn vị tính được từ hồ sơ "
					     "của mình; điểm các nhóm khác do tỉnh chấm."));
	return t;
}

static json_t *s766_json(rctx *c)
{
	json_t *inds = json_array(), *groups = json_array(), *rows = json_array();
	for (int i = 0; i < rep_766_n; i++) {
		const rep_indicator *ind = &rep_766[i];
		json_t *o = indicator_values(&c->total, i);
		json_object_set_new(o, "id", json_string(ind->id));
		json_object_set_new(o, "group", json_integer(ind->group));
		json_object_set_new(o, "name", json_string(ind->name_vi));
		json_object_set_new(o, "source", json_string(ind->source));
		json_object_set_new(o, "points_max", json_real(ind->points));
		json_object_set_new(o, "full_at", json_real(ind->full_at));
		json_object_set_new(o, "formula",
				    json_pack("{s:{s:o, s:o}, s:{s:o, s:o}}", "numerator", "all",
					      flag_names(ind->num_all), "none",
					      flag_names(ind->num_none), "denominator", "all",
					      flag_names(ind->den_all), "none",
					      flag_names(ind->den_none)));
		json_array_append_new(inds, o);
	}
	for (int gi = 0; gi < 5; gi++) {
		double max = 0, pts = 0;
		for (int i = 0; i < rep_766_n; i++)
			if (rep_766[i].group == gi + 1) {
				max += rep_766[i].points;
				pts += rep_points(&rep_766[i], c->total.num[i], c->total.den[i]);
			}
		json_array_append_new(groups, json_pack("{s:i, s:s, s:f, s:f, s:f}", "group", gi + 1,
							"name", rep_766_groups[gi].name_vi,
							"points_max", rep_766_groups[gi].points,
							"computable_max", max, "points", pts));
	}
	for (size_t k = 0; k < c->n; k++) {
		json_t *vals = json_object();
		for (int i = 0; i < rep_766_n; i++)
			json_object_set_new(vals, rep_766[i].id, indicator_values(&c->g[k], i));
		json_array_append_new(rows, json_pack("{s:s, s:s, s:o, s:f}", "key", c->g[k].key,
						      "label", c->g[k].label, "values", vals,
						      "points", points_of(&c->g[k])));
	}
	double max = 0;
	for (int i = 0; i < rep_766_n; i++)
		max += rep_766[i].points;
	return json_pack("{s:o, s:o, s:o, s:{s:f, s:f}, s:o}", "indicators", inds, "groups",
			 groups, "rows", rows, "total", "points", points_of(&c->total),
			 "computable_max", max, "table", s766_table(c));
}

/* ---- the trend: the 12 months that end with the period's ---- */

static int trend_json(app *a, const app_report_req *q, rctx *base, mc_time now, json_t **out,
		      mc_err *e)
{
	int y, m, d;
	cal_civil_from_days(base->last_day, &y, &m, &d);
	json_t *months = json_array();
	int rc = MC_OK;
	for (int k = 11; k >= 0 && !rc; k--) {
		int yy = y, mm = m - k;
		while (mm < 1) {
			mm += 12;
			yy--;
		}
		rctx c = { 0 };
		c.a = a;
		c.hub = a->hub;
		c.all = base->all;
		c.kind = K_766;
		c.by = BY_NONE;
		c.procs = base->procs; /* borrowed */
		c.people = json_object();
		c.index = json_object();
		c.from = cal_time_of(cal_days_from_civil(yy, mm, 1), 0);
		int ny = mm == 12 ? yy + 1 : yy, nm = mm == 12 ? 1 : mm + 1;
		c.end = rep_end(cal_time_of(cal_days_from_civil(ny, nm, 1), 0), now);
		if (c.end > c.from)
			rc = walk(&c, q->agency, e);
		if (!rc) {
			char label[16];
			snprintf(label, sizeof label, "T%d/%d", mm, yy);
			json_t *v = ii06a_values(&c.total);
			int64_t res = c.total.cell[REP_EARLY] + c.total.cell[REP_ON_TIME] +
				      c.total.cell[REP_LATE];
			json_object_set_new(v, "month", json_string(label));
			json_object_set_new(v, "timely_share",
					    res ? json_real((double)(c.total.cell[REP_EARLY] +
								     c.total.cell[REP_ON_TIME]) /
							    (double)res)
						: json_null());
			json_object_set_new(v, "points", json_real(points_of(&c.total)));
			json_array_append_new(months, v);
		}
		c.procs = NULL;
		teardown(&c);
	}
	if (rc) {
		json_decref(months);
		return rc;
	}
	*out = json_pack("{s:o}", "months", months);
	return MC_OK;
}

/* ---- charts (doc_chart_svg draws them) ---- */

/* Adds {key, title, svg} to charts; a chart that cannot be drawn is left
 * out (the numbers are all in the report), and said on stderr. */
static void chart_add(json_t *charts, const char *key, json_t *spec)
{
	char *svg = NULL;
	size_t len = 0;
	mc_err e;
	if (spec && doc_chart_svg(spec, &svg, &len, &e) == MC_OK)
		json_array_append_new(charts, json_pack("{s:s, s:O, s:s%}", "key", key, "title",
						       json_object_get(spec, "title"), "svg", svg,
						       len));
	else if (spec)
		fprintf(stderr, "motcua: chart %s: %s\n", key, mc_errmsg(&e, 0));
	free(svg);
	json_decref(spec);
}

/* A row's label for a chart axis: at most 60 bytes, cut between letters
 * (a procedure's name can run to a paragraph), with "…". */
static json_t *axis_label(const char *s)
{
	size_t n = strlen(s);
	if (n <= 60)
		return json_string(s);
	char buf[64 + 4];
	size_t k = 57;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--; /* not inside a UTF-8 sequence */
	memcpy(buf, s, k);
	memcpy(buf + k, "…", sizeof "…");
	return json_string(buf);
}

/* A figure as a chart prints it: 2 decimals. */
static json_t *rounded(double v)
{
	return json_real((double)llround(v * 100) / 100);
}

/* The II.06a chart: resolved early / on time / late per row (at most 12
 * rows, the largest). */
static void ii06a_charts(const rctx *c, json_t *charts)
{
	if (c->n == 0)
		return;
	size_t n = c->n < 12 ? c->n : 12;
	json_t *cats = json_array(), *e = json_array(), *o = json_array(), *l = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(cats, axis_label(c->g[i].label));
		json_array_append_new(e, json_integer(c->g[i].cell[REP_EARLY]));
		json_array_append_new(o, json_integer(c->g[i].cell[REP_ON_TIME]));
		json_array_append_new(l, json_integer(c->g[i].cell[REP_LATE]));
	}
	chart_add(charts, "resolved",
		  json_pack("{s:s, s:s, s:o, s:[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}]}", "kind",
			    "stacked", "title", "Hồ sơ đã giải quyết: trước hạn, đúng hạn, quá hạn",
			    "categories", cats, "series", "name", "Trước hạn", "values", e, "name",
			    "Đúng hạn", "values", o, "name", "Quá hạn", "values", l));
}

static void s766_charts(const rctx *c, json_t *groups, json_t *charts)
{
	json_t *cats = json_array(), *pts = json_array(), *max = json_array();
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) {
		json_array_append_new(cats, json_pack("s", json_string_value(json_object_get(g, "name"))));
		json_array_append_new(pts, rounded(json_number_value(json_object_get(g, "points"))));
		json_array_append_new(max, rounded(json_number_value(json_object_get(g, "computable_max"))));
	}
	(void)c;
	chart_add(charts, "groups",
		  json_pack("{s:s, s:s, s:o, s:[{s:s, s:o}], s:o, s:i}", "kind", "hbars", "title",
			    "Điểm theo nhóm chỉ số (trên số điểm tính được tại đơn vị)", "categories",
			    cats, "series", "name", "Điểm đạt", "values", pts, "max", max, "height",
			    300));
}

static void trend_charts(json_t *months, json_t *charts)
{
	json_t *cats = json_array(), *e = json_array(), *o = json_array(), *l = json_array(),
	       *rec = json_array(), *res = json_array(), *share = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(months, i, m) {
		json_array_append(cats, json_object_get(m, "month"));
		json_array_append(e, json_object_get(m, "early"));
		json_array_append(o, json_object_get(m, "on_time"));
		json_array_append(l, json_object_get(m, "late"));
		json_array_append(rec, json_object_get(m, "received"));
		json_array_append(res, json_object_get(m, "resolved"));
		json_t *sh = json_object_get(m, "timely_share");
		json_array_append_new(share, json_is_number(sh) ? rounded(100 * json_number_value(sh))
								: json_null());
	}
	chart_add(charts, "timeliness",
		  json_pack("{s:s, s:s, s:O, s:[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}]}", "kind",
			    "stacked", "title", "Kết quả giải quyết theo tháng", "categories", cats,
			    "series", "name", "Trước hạn", "values", e, "name", "Đúng hạn", "values",
			    o, "name", "Quá hạn", "values", l));
	chart_add(charts, "flow",
		  json_pack("{s:s, s:s, s:O, s:[{s:s, s:o}, {s:s, s:o}]}", "kind", "bars", "title",
			    "Hồ sơ tiếp nhận và đã giải quyết theo tháng", "categories", cats,
			    "series", "name", "Tiếp nhận (kể cả kỳ trước chuyển qua)", "values", rec,
			    "name", "Đã giải quyết", "values", res));
	chart_add(charts, "share",
		  json_pack("{s:s, s:s, s:o, s:[{s:s, s:o}], s:s, s:i}", "kind", "lines", "title",
			    "Tỷ lệ giải quyết trước hạn, đúng hạn", "categories", cats, "series",
			    "name", "Trước hạn và đúng hạn", "values", share, "unit", "%", "y_max",
			    100));
}

static json_t *trend_table(const rctx *c, json_t *months)
{
	char period[200];
	period_text(c, period, sizeof period);
	const char *hs[] = { "Tháng", "Tiếp nhận", "Đã giải quyết", "Trước hạn", "Đúng hạn",
			     "Quá hạn", "Đang giải quyết", "Quá hạn (đang giải quyết)",
			     "Tỷ lệ đúng hạn", "Điểm 766" };
	const char *keys[] = { "month", "received", "resolved", "early", "on_time", "late",
			       "pending", "overdue", "timely_share", "points" };
	const char *types[] = { "text", "int", "int", "int", "int", "int", "int", "int",
				"percent", "number" };
	json_t *head = json_array(), *cols = json_array(), *rows = json_array();
	for (int i = 0; i < 10; i++) {
		json_array_append_new(head, cell(hs[i], 1, 1));
		json_array_append_new(cols, json_pack("{s:s, s:i}", "type", types[i], "width",
						      i == 0 ? 12 : 13));
	}
	size_t i;
	json_t *m;
	json_array_foreach(months, i, m) {
		json_t *r = json_array();
		for (int k = 0; k < 10; k++)
			json_array_append(r, json_object_get(m, keys[k]));
		json_array_append_new(rows, r);
	}
	return json_pack("{s:s, s:s, s:[s, o], s:[o], s:o, s:o}", "sheet", "12 tháng", "title",
			 "DIỄN BIẾN KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH 12 THÁNG", "subtitle", period,
			 unit_line(c), "head", head, "columns", cols, "rows", rows);
}

/* ---- entry points ---- */

static json_t *head_json(const rctx *c, const char *name)
{
	char f[11], t[11];
	cal_format_date(cal_local_day(c->from), f);
	cal_format_date(c->last_day, t);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:b}}", "name", name, "from", f,
			 "to", t, "by", by_names[c->by], "as_of", app_json_time(c->as_of), "scope",
			 "agency", c->a->agency, "name", c->a->agency_name, "hub", c->hub);
}

static int run(app *a, const app_actor *by, const app_report_req *q, mc_time now, rctx *c,
	       json_t **out, mc_err *e)
{
	int rc = may_read(by, e);
	if (!rc)
		rc = parse_req(a, q, now, c, e);
	if (!rc)
		rc = setup(c, e);
	if (rc)
		return rc;
	json_t *body = NULL, *charts = json_array();
	if (c->kind == K_TREND) {
		rc = trend_json(a, q, c, now, &body, e);
		if (!rc) {
			json_t *months = json_object_get(body, "months");
			json_object_set_new(body, "table", trend_table(c, months));
			if (c->charts)
				trend_charts(months, charts);
		}
	} else {
		rc = walk(c, q->agency, e);
		if (!rc) {
			name_communes(c);
			if (c->n > 1)
				qsort(c->g, c->n, sizeof *c->g, by_label);
			body = c->kind == K_II06A ? ii06a_json(c) : s766_json(c);
			if (body && c->charts && c->kind == K_II06A)
				ii06a_charts(c, charts);
			else if (body && c->charts)
				s766_charts(c, json_object_get(body, "groups"), charts);
		}
	}
	if (rc) {
		json_decref(charts);
		return rc;
	}
	if (body && c->charts)
		json_object_set_new(body, "charts", charts);
	else
		json_decref(charts);
	json_t *o = head_json(c, q->name);
	if (!o || !body || json_object_update(o, body)) {
		json_decref(o);
		json_decref(body);
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	}
	json_decref(body);
	*out = o;
	return MC_OK;
}

int app_report(app *a, const app_actor *by, const app_report_req *q, mc_time now, json_t **out,
	       mc_err *e)
{
	rctx c = { .charts = 1 };
	int rc = run(a, by, q, now, &c, out, e);
	teardown(&c);
	return rc;
}

int app_report_dossiers(app *a, const app_actor *by, const app_report_req *q, const char *row,
			const char *col, const char *part, mc_time now, json_t **out, mc_err *e)
{
	rctx c = { 0 };
	int rc = may_read(by, e);
	if (!rc)
		rc = parse_req(a, q, now, &c, e);
	if (!rc && c.kind == K_TREND)
		rc = fail_param(e, "báo cáo trend không có danh sách hồ sơ theo ô",
				"the trend report has no per-cell lists");
	if (!rc && c.kind == K_II06A) {
		for (int i = 0; i < rep_ii06a_n_columns && col; i++)
			if (strcmp(col, rep_ii06a_columns[i].key) == 0)
				c.col_cells = rep_ii06a_columns[i].cells;
		if (!c.col_cells)
			rc = fail_param(e, "col phải là một cột của biểu (received, carried, ...)",
					"col must be a column of the table (received, carried, ...)");
	} else if (!rc) {
		c.ind = -1;
		for (int i = 0; i < rep_766_n && col; i++)
			if (strcmp(col, rep_766[i].id) == 0)
				c.ind = i;
		c.num = part && strcmp(part, "numerator") == 0;
		if (c.ind < 0 || !part ||
		    (!c.num && strcmp(part, "denominator") != 0))
			rc = fail_param(e,
					"col phải là mã chỉ số (2.1, ...) và part là numerator hoặc "
					"denominator",
					"col must be an indicator id (2.1, ...) and part numerator or "
					"denominator");
	}
	if (!rc)
		rc = setup(&c, e);
	if (rc) {
		teardown(&c);
		return rc;
	}
	c.drill = 1;
	c.row = row;
	c.items = json_array();
	rc = walk(&c, q->agency, e);
	if (!rc) {
		*out = json_pack("{s:O, s:I, s:b}", "items", c.items, "total", (json_int_t)c.matched,
				 "truncated", c.matched > DRILL_MAX);
		if (!*out)
			rc = mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	}
	teardown(&c);
	return rc;
}

int app_report_file(app *a, const app_actor *by, const app_report_req *q, const char *format,
		    mc_time now, unsigned char **bytes, size_t *len, const char **mime, mc_err *e)
{
	int xlsx = format && strcmp(format, "xlsx") == 0;
	if (!xlsx && !(format && strcmp(format, "csv") == 0))
		return fail_param(e, "định dạng phải là json, xlsx hoặc csv",
				  "the format must be json, xlsx or csv");
	rctx c = { 0 };
	json_t *r = NULL;
	int rc = run(a, by, q, now, &c, &r, e);
	teardown(&c);
	if (rc)
		return rc;
	const json_t *table = json_object_get(r, "table");
	if (xlsx) {
		rc = doc_table_xlsx(table, bytes, len, e);
		*mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	} else {
		char *text = NULL;
		rc = doc_table_csv(table, &text, len, e);
		*bytes = (unsigned char *)text;
		*mime = "text/csv; charset=utf-8";
	}
	json_decref(r);
	return rc;
}
