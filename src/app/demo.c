/*
 * demo.c - the demo commune (Xã Kim Bôi, Phú Thọ): agencies, one user per
 * role, the shipped commune-level catalog, and about 200 dossiers over the
 * last 90 days in every state. Every dossier goes through the engine
 * (app_receive / app_act) at its own back-dated time, in time order, so the
 * event log reads like three real months.
 */
#include "app_int.h"

#include "app/auth.h"
#include "app/units.h"
#include "embedded.h"

#define DEMO_PASSWORD "motcua-demo"
#define DEMO_N 200

static const struct {
	const char *login, *role, *name, *unit;
} demo_users[] = {
	{ "tiepnhan", "reception", "Nguyễn Thị Lan", "PVHCC" },
	{ "chuyenvien", "specialist", "Trần Văn Minh", "KT" },
	{ "lanhdao", "leader", "Hoàng Văn Dũng", "VP" },
	{ "quantri", "admin", "Lê Thị Hoa", "VP" },
	{ "giamsat", "supervisor", "Phạm Quốc Bảo", "" },
};

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi",
				      "Đinh", "Quách", "Vũ", "Đặng", "Ngô", "Hà" };
static const char *const middle_m[] = { "Văn", "Đức", "Quang", "Minh", "Xuân", "Hữu" };
static const char *const middle_f[] = { "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Bích" };
static const char *const given_m[] = { "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng",
				       "Khánh", "Long", "Nam", "Phúc", "Quý", "Sơn", "Tuấn" };
static const char *const given_f[] = { "Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hoa",
				       "Hương", "Lan", "Linh", "Mai", "Nga", "Thảo", "Yến" };
static const char *const hamlets[] = { "Xóm Mỏ", "Xóm Bình Lợi", "Xóm Đúng", "Xóm Bãi Chạo",
				       "Xóm Nhội", "Xóm Chiềng", "Xóm Sào Báy" };

/* Deterministic, so every demo looks the same (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % (n ? n : 1);
}
#define PICK(a) (a[rnd(MC_ARRAY_LEN(a))])

enum { S_RECEIVE, S_ACT };

typedef struct {
	mc_time t;
	int idx;     /* dossier */
	int order;   /* step number within the dossier */
	int kind;
	const char *action;
	const char *actor;
	const char *comment;
	const char *to;
} step;

typedef struct {
	char code[96];
	char name[128];
	char id[16];
	char phone[16];
	char address[160];
	const char *procedure;
	const char *channel;
	int pending;
	int dead;
} demo_dossier;

static int cmp_step(const void *a, const void *b)
{
	const step *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx - y->idx;
	return x->order - y->order;
}

static mc_time later(app *a, mc_time t, double hours)
{
	mc_time out;
	mc_err ignore;
	if (dl_add_working(&a->sched, &a->hours, t, (int64_t)(hours * 60) * 60, &out, &ignore))
		return t + (mc_time)(hours * 3600);
	return out;
}

/* Plans one dossier's life: a scenario and working-hour gaps between steps. */
static size_t plan(app *a, int idx, mc_time t0, demo_dossier *d, step *s)
{
	size_t n = 0;
	int sc = (int)rnd(100);
	double pace = 2 + rnd(12); /* working hours between steps */
	if (sc >= 90)
		pace *= 4; /* slow ones run late */
#define ADD(act, who, cmt, tgt)                                                                \
	do {                                                                                   \
		s[n] = (step){ t, idx, (int)n, S_ACT, act, who, cmt, tgt };                    \
		n++;                                                                           \
		t = later(a, t, pace * (0.5 + rnd(100) / 100.0));                              \
	} while (0)
	mc_time t = t0;
	s[n++] = (step){ t, idx, 0, S_RECEIVE, NULL, "tiepnhan", NULL, NULL };
	t = later(a, t, 1 + rnd(4));
	if (d->pending) {
		if (sc < 50)
			return n; /* still waiting at the portal */
		ADD("accept", "tiepnhan", NULL, NULL);
	}
	if (sc < 5) {
		ADD("refuse", "tiepnhan", "Hồ sơ không thuộc thẩm quyền giải quyết của xã", NULL);
		return n;
	}
	if (sc < 8) {
		ADD("request_supplement", "tiepnhan", "Thiếu bản sao giấy khai sinh", NULL);
		ADD("supplement_received", "tiepnhan", "Đã nộp bản sao giấy khai sinh", NULL);
	}
	if (sc >= 8 && sc < 10) {
		ADD("transfer", "tiepnhan", "Tiếp nhận không phụ thuộc địa giới hành chính",
		    sc == 8 ? "000.32.45.H45" : "000.33.45.H45");
		return n;
	}
	ADD("assign", "tiepnhan", "Chuyển chuyên viên xử lý", "chuyenvien");
	if (sc >= 10 && sc < 14) {
		ADD("withdraw", "tiepnhan", "Công dân đề nghị rút hồ sơ", NULL);
		return n;
	}
	if (sc >= 14 && sc < 24) {
		ADD("request_supplement", "chuyenvien", "Bổ sung xác nhận của trưởng xóm", NULL);
		ADD("supplement_received", "chuyenvien", "Đã nhận bổ sung", NULL);
		if (sc >= 21) {
			ADD("request_supplement", "chuyenvien", "Bổ sung thêm bản chính", NULL);
			ADD("supplement_received", "chuyenvien", "Đã nhận bổ sung lần hai", NULL);
		}
	}
	if (sc >= 24 && sc < 28) {
		ADD("stop", "lanhdao", "Dừng giải quyết theo đề nghị của người nộp hồ sơ", NULL);
		return n;
	}
	if (sc >= 28 && sc < 34)
		ADD("apology", "chuyenvien", "Cần xác minh thêm thông tin tại thôn", NULL);
	if (sc >= 34 && sc < 38) {
		ADD("request_payment", "chuyenvien", NULL, NULL);
		ADD("payment_received", "chuyenvien", NULL, NULL);
	}
	if (sc >= 85 && sc < 90)
		return n; /* stalled with the specialist: goes overdue */
	ADD("submit_approval", "chuyenvien", "Đề nghị lãnh đạo phê duyệt", NULL);
	if (sc >= 38 && sc < 44) {
		ADD("send_back", "lanhdao", "Đề nghị kiểm tra lại thông tin", NULL);
		ADD("submit_approval", "chuyenvien", "Đã chỉnh sửa, trình lại", NULL);
	}
	ADD("approve", "lanhdao", NULL, NULL);
	ADD("return", "tiepnhan", "Người nộp hồ sơ nhận trực tiếp", NULL);
#undef ADD
	return n;
}

/* Processing time lookups are cheap; keep procedures that have one. */
typedef struct {
	app *a;
	char **codes;
	int n, cap;
} proc_ctx;

static int keep_proc(void *ctx, const st_procedure *p)
{
	proc_ctx *c = ctx;
	double amt;
	int unit;
	mc_err ignore;
	if (st_procedure_time(c->a->st, p->code, ST_CH_DIRECT, &amt, &unit, NULL, NULL, 0, &ignore))
		return 0;
	/* Keep the commune's everyday work: short procedures. */
	if (unit == DL_WORKING_DAYS && amt > 20)
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->codes = mc_xrealloc(c->codes, (size_t)c->cap * sizeof *c->codes);
	}
	c->codes[c->n++] = mc_xstrdup(p->code);
	return 0;
}

int app_catalog_ship(app *a, const app_actor *sys, mc_time now, mc_err *e)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++) {
		if (strcmp(f->name, "commune.jsonl") != 0)
			continue;
		app_import_stats stats;
		return app_catalog_import(a, sys, (const char *)f->data, f->size, "commune.jsonl",
					  now, &stats, e);
	}
	return mc_fail(e, MCE_INTERNAL, "bản cài đặt này thiếu danh mục thủ tục kèm theo",
		       "the shipped catalog is missing from this build");
}

/* The demo commune's own procedure list: the everyday procedures of a
 * commune centre that have a processing time (the national entry's, or the
 * shipped one of data/catalog/commune-times.csv), as a province's decision
 * would publish them. fee: đồng, -1 for none set here. */
static const struct {
	const char *code;
	long long fee;
	const char *unit;
	int quick; /* done within the day: a shorter specialist step */
} demo_list[] = {
	{ "1.001193", 0, "Công chức Tư pháp - Hộ tịch", 0 },   /* khai sinh */
	{ "1.000656", 0, "Công chức Tư pháp - Hộ tịch", 0 },   /* khai tử */
	{ "1.000894", 0, "Công chức Tư pháp - Hộ tịch", 0 },   /* kết hôn */
	{ "1.004873", -1, "Công chức Tư pháp - Hộ tịch", 0 },  /* tình trạng hôn nhân */
	{ "1.001022", -1, "Công chức Tư pháp - Hộ tịch", 0 },  /* nhận cha, mẹ, con */
	{ "1.000689", -1, "Công chức Tư pháp - Hộ tịch", 0 },
	{ "1.004859", -1, "Công chức Tư pháp - Hộ tịch", 0 },  /* thay đổi, cải chính */
	{ "1.004884", -1, "Công chức Tư pháp - Hộ tịch", 0 },  /* đăng ký lại khai sinh */
	{ "1.004746", -1, "Công chức Tư pháp - Hộ tịch", 0 },
	{ "1.005461", -1, "Công chức Tư pháp - Hộ tịch", 0 },
	{ "2.000635", 8000, "Công chức Tư pháp - Hộ tịch", 1 }, /* bản sao trích lục */
	{ "2.000815", 2000, "Công chức Tư pháp - Hộ tịch", 1 }, /* chứng thực bản sao */
	{ "2.000884", 10000, "Công chức Tư pháp - Hộ tịch", 1 }, /* chứng thực chữ ký */
	{ "2.000992", 10000, "Công chức Tư pháp - Hộ tịch", 1 },
	{ "2.001008", 10000, "Công chức Tư pháp - Hộ tịch", 1 },
	{ "2.001035", 50000, "Công chức Tư pháp - Hộ tịch", 0 }, /* chứng thực giao dịch */
	{ "1.001612", 100000, "Phòng Kinh tế", 0 },             /* hộ kinh doanh */
	{ "1.012796", -1, "Công chức Địa chính - Xây dựng", 0 }, /* đính chính GCN */
	{ "1.012812", -1, "Công chức Địa chính - Xây dựng", 0 }, /* hòa giải đất đai */
	{ "1.008004", -1, "Công chức Nông nghiệp - Môi trường", 0 },
	{ "1.000253", 0, "Công an xã", 0 }, /* khai báo tạm trú người nước ngoài */
};

#define DEMO_DECISION "Quyết định 1234/QĐ-UBND ngày 01/07/2025 của UBND tỉnh Phú Thọ (dữ liệu mẫu)"

/* Enables the demo list, keeping the shipped times of its entries. */
static int load_local_list(app *a, const app_actor *sys, mc_time now, mc_err *e)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(demo_list); i++) {
		json_t *cur = NULL, *times = NULL, *out = NULL;
		mc_err ig;
		if (app_local_get(a, demo_list[i].code, &cur, &ig) == MC_OK)
			times = json_incref(json_object_get(cur, "times"));
		json_decref(cur);
		int q = demo_list[i].quick;
		json_t *in = json_pack(
			"{s:b, s:o, s:o, s:s, s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}, {s:s, s:s, s:i}, "
			"{s:s, s:s, s:i}], s:s}",
			"enabled", 1, "times", times ? times : json_null(), "fee",
			demo_list[i].fee < 0 ? json_null() : json_integer(demo_list[i].fee),
			"handling_unit", demo_list[i].unit, "steps", "name", "Tiếp nhận hồ sơ", "kind",
			"reception", "share", 10, "name", "Thẩm định, xử lý", "kind", "specialist",
			"share", q ? 50 : 60, "name", "Lãnh đạo ký duyệt", "kind", "leader", "share",
			q ? 30 : 20, "name", "Trả kết quả", "kind", "return", "share", 10, "source",
			DEMO_DECISION);
		int rc = app_local_set(a, sys, demo_list[i].code, in, now, &out, e);
		json_decref(in);
		json_decref(out);
		if (rc == MC_ENOTFOUND)
			continue; /* a catalog without this code */
		if (rc)
			return rc;
	}
	return MC_OK;
}

static void make_person(demo_dossier *d)
{
	int female = (int)rnd(2);
	snprintf(d->name, sizeof d->name, "%s %s %s", PICK(family),
		 female ? PICK(middle_f) : PICK(middle_m), female ? PICK(given_f) : PICK(given_m));
	int year = 1950 + (int)rnd(56);
	int century = year >= 2000 ? 2 : 0;
	/* LAW: Circular 07/2016/TT-BCA: province (025 Phú Thọ), gender/century,
	 * year of birth, then six random digits. */
	snprintf(d->id, sizeof d->id, "025%d%02d%06u", century + female, year % 100, rnd(1000000));
	snprintf(d->phone, sizeof d->phone, "09%08u", rnd(100000000));
	snprintf(d->address, sizeof d->address, "%s, xã Kim Bôi, tỉnh Phú Thọ", PICK(hamlets));
}

static int run_step(app *a, demo_dossier *dd, const step *s, mc_err *e)
{
	app_actor actor;
	int rc = app_actor_load(a, s->actor, &actor, e);
	if (rc)
		return rc;
	demo_dossier *d = &dd[s->idx];
	if (s->kind == S_RECEIVE) {
		static const char *const summaries[] = {
			"Đề nghị giải quyết theo quy định", "Nộp hồ sơ cho con",
			"Cần gấp để bổ sung hồ sơ xin việc", "Hồ sơ nộp lần đầu",
		};
		json_t *comps = json_pack("[{s:s, s:i, s:i}, {s:s, s:i, s:i}]", "name",
					  "Tờ khai theo mẫu", "originals", 1, "copies", 0, "name",
					  "Căn cước công dân", "originals", 0, "copies", 1);
		app_receive_req q = {
			.procedure = d->procedure, .channel = d->channel, .name = d->name,
			.id_number = d->id, .phone = d->phone, .address = d->address,
			.summary = PICK(summaries), .components = comps, .pending = d->pending,
		};
		mc_time due;
		rc = app_receive(a, &actor, &q, s->t, d->code, &due, e);
		json_decref(comps);
		return rc;
	}
	app_act_req q = { .action = s->action, .comment = s->comment };
	if (s->to && strcmp(s->action, "transfer") == 0)
		q.to_agency = s->to;
	else
		q.to_user = s->to;
	if (strcmp(s->action, "apology") == 0) {
		json_t *j;
		rc = app_dossier_get(a, d->code, 0, s->t, &j, e);
		if (rc)
			return rc;
		mc_time due = 0;
		mc_err ig;
		const char *ds = json_string_value(json_object_get(j, "due_at"));
		if (ds && cal_parse_datetime(ds, &due, &ig))
			due = 0;
		json_decref(j);
		if (!due)
			return mc_fail(e, MCE_CONFLICT, "hồ sơ không có thời hạn giải quyết", "no due time");
		q.new_due = later(a, due, 16);
	}
	return app_act(a, &actor, d->code, &q, s->t, e);
}

int app_demo_load(app *a, mc_time now, FILE *out, mc_err *e)
{
	app_actor sys;
	app_actor_system(a, &sys);
	mc_time start = now - 92 * 86400;
	int rc = app_agency_add(a, &sys, "000.00.00.H45", "UBND tỉnh Phú Thọ", "province", NULL,
				start, e);
	if (!rc)
		rc = app_agency_add(a, &sys, "000.32.45.H45", "Xã Dũng Tiến", "commune",
				    "000.00.00.H45", start, e);
	if (!rc)
		rc = app_agency_add(a, &sys, "000.33.45.H45", "Xã Hợp Kim", "commune",
				    "000.00.00.H45", start, e);
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(demo_users); i++) {
		rc = app_user_add(a, &sys, demo_users[i].login, demo_users[i].role, demo_users[i].name,
				  DEMO_PASSWORD, start, e);
		/* A hub has the province's departments only: its demo
		 * officers have no commune office. */
		app_unit un;
		mc_err ig;
		if (!rc && *demo_users[i].unit && app_unit_get(a, demo_users[i].unit, &un, &ig) == MC_OK) {
			auth_user_change c = { .disabled = -1, .unit = demo_users[i].unit };
			rc = auth_user_update(a, &sys, demo_users[i].login, &c, start, e);
		}
	}
	if (!rc)
		rc = app_catalog_ship(a, &sys, start, e);
	if (!rc)
		rc = load_local_list(a, &sys, start, e);
	if (rc)
		return rc;

	proc_ctx pc = { .a = a };
	rc = st_procedure_list(a->st, NULL, NULL, keep_proc, &pc, e);
	if (!rc && pc.n == 0)
		rc = mc_fail(e, MCE_INVALID, "danh mục không có thủ tục nào có thời hạn giải quyết",
			     "the catalog has no procedure with a processing time");
	demo_dossier *dd = mc_xcalloc(DEMO_N, sizeof *dd);
	step *steps = mc_xcalloc(DEMO_N * 24, sizeof *steps);
	size_t ns = 0;
	for (int i = 0; !rc && i < DEMO_N; i++) {
		demo_dossier *d = &dd[i];
		make_person(d);
		d->procedure = pc.codes[rnd((uint32_t)pc.n)];
		int c = (int)rnd(10);
		d->channel = c < 6 ? "direct" : c < 9 ? "online" : "postal";
		/* Spread receptions over 90 days, more of them recent. */
		double frac = 1.0 - (rnd(1000) / 1000.0) * (rnd(1000) / 1000.0);
		mc_time t0 = start + (mc_time)(frac * 90 * 86400);
		int secs = 7 * 3600 + (int)rnd(600) * 60;
		t0 = cal_time_of(cal_local_day(t0), secs);
		t0 = later(a, t0, 1 / 60.0); /* the next working minute */
		d->pending = strcmp(d->channel, "online") == 0 && rnd(4) == 0;
		ns += plan(a, i, t0, d, steps + ns);
	}
	qsort(steps, ns, sizeof *steps, cmp_step);
	int done = 0;
	for (size_t k = 0; !rc && k < ns; k++) {
		step *s = &steps[k];
		if (s->t > now || dd[s->idx].dead)
			continue; /* the future has not happened yet */
		mc_err se;
		int src = run_step(a, dd, s, &se);
		if (src == MC_ECONFLICT || src == MC_EINVAL) {
			dd[s->idx].dead = 1; /* e.g. an apology after the due time: skip the rest */
			continue;
		}
		if (src) {
			rc = src;
			*e = se;
		}
		done += s->kind == S_RECEIVE;
	}
	free(steps);
	free(dd);
	for (int i = 0; i < pc.n; i++)
		free(pc.codes[i]);
	free(pc.codes);
	if (rc)
		return rc;
	if (out) {
		fprintf(out, "demo commune: %s (%s), Tỉnh Phú Thọ; %d dossiers over the last 90 days\n",
			a->agency_name, a->agency, done);
		fprintf(out, "demo logins (DEMO ONLY - change or disable before real use), "
			     "password '%s':\n", DEMO_PASSWORD);
		for (size_t i = 0; i < MC_ARRAY_LEN(demo_users); i++)
			fprintf(out, "  %-11s %-10s %s\n", demo_users[i].login, demo_users[i].role,
				demo_users[i].name);
	}
	return MC_OK;
}
