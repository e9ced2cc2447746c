/*
 * st_ref.c - reference data: settings, agencies, the procedure catalog and
 * the days-off schedules.
 */
#include "st_int.h"

static const char *const sql[Q_N] = {
	[Q_SETTING_GET] = "SELECT value FROM setting WHERE key = :key",
	[Q_SETTING_SET] = "INSERT INTO setting(key, value) VALUES (:key, :value) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[Q_AGENCY_PUT] = "INSERT INTO agency(code, name, kind, parent, is_self) "
			 "VALUES (:code, :name, :kind, :parent, :self) ON CONFLICT(code) DO UPDATE "
			 "SET name = excluded.name, kind = excluded.kind, parent = excluded.parent, "
			 "is_self = excluded.is_self",
	[Q_AGENCY_GET] = "SELECT name FROM agency WHERE code = :code",
	[Q_AGENCY_LIST] = "SELECT code, name, kind, is_self FROM agency ORDER BY is_self DESC, code",
	[Q_PROC_EXISTS] = "SELECT 1 FROM procedure WHERE code = :code",
	[Q_PROC_PUT] = "INSERT INTO procedure(code, name, field, level, fold, complete, version, "
		       "source, t_direct, u_direct, t_online, u_online, t_postal, u_postal, t_guessed, body) "
		       "VALUES (:code, :name, :field, :level, :fold, :complete, :version, :source, "
		       ":t0, :u0, :t1, :u1, :t2, :u2, :guessed, :body) ON CONFLICT(code) DO UPDATE SET "
		       "name = excluded.name, field = excluded.field, level = excluded.level, "
		       "fold = excluded.fold, complete = excluded.complete, "
		       "version = excluded.version, source = excluded.source, "
		       "t_direct = excluded.t_direct, u_direct = excluded.u_direct, "
		       "t_online = excluded.t_online, u_online = excluded.u_online, "
		       "t_postal = excluded.t_postal, u_postal = excluded.u_postal, "
		       "t_guessed = excluded.t_guessed, body = excluded.body",
	/* The effective time: the commune's own (procedure_local) where it set
	 * one, else the national entry's; a channel set locally is never
	 * guessed. Then whether the procedure is on the commune's list. */
	[Q_PROC_TIME] = "SELECT p.name, "
			"CASE WHEN o.u_direct IS NULL THEN p.t_direct ELSE o.t_direct END, "
			"coalesce(o.u_direct, p.u_direct), "
			"CASE WHEN o.u_online IS NULL THEN p.t_online ELSE o.t_online END, "
			"coalesce(o.u_online, p.u_online), "
			"CASE WHEN o.u_postal IS NULL THEN p.t_postal ELSE o.t_postal END, "
			"coalesce(o.u_postal, p.u_postal), "
			"p.t_guessed & ~((o.u_direct IS NOT NULL) | ((o.u_online IS NOT NULL) << 1) | "
			"((o.u_postal IS NOT NULL) << 2)), o.enabled, "
			"EXISTS (SELECT 1 FROM procedure_local l WHERE l.agency = s.code AND l.enabled = 1) "
			"FROM procedure p LEFT JOIN agency s ON s.is_self = 1 "
			"LEFT JOIN procedure_local o ON o.agency = s.code AND o.code = p.code "
			"WHERE p.code = :code",
	[Q_PROC_GET] = "SELECT body FROM procedure WHERE code = :code",
	[Q_PROC_LIST] = "SELECT code, name, field, level, fold, complete, version, source, body "
			"FROM procedure WHERE (:field IS NULL OR field = :field) "
			"AND (:q IS NULL OR instr(fold, :q) > 0) ORDER BY field, code",
	[Q_PROC_COUNT] = "SELECT count(*) FROM procedure",
	[Q_HOL_DEL] = "DELETE FROM holiday WHERE year = :year",
	[Q_HOL_INS] = "INSERT INTO holiday(day, year, kind, occasion, source, version) "
		      "VALUES (:day, :year, :kind, :occasion, :source, :version)",
	[Q_HOLYEAR_PUT] = "INSERT INTO holiday_year(year, version, source) VALUES "
			  "(:year, :version, :source) ON CONFLICT(year) DO UPDATE SET "
			  "version = excluded.version, source = excluded.source",
	[Q_HOL_ALL] = "SELECT day, kind, occasion, source FROM holiday ORDER BY day",
	[Q_HOLYEAR_ALL] = "SELECT year FROM holiday_year ORDER BY year",
};

/* ---- settings ---- */

int st_setting_get(st *s, const char *key, char **value, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SETTING_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":key", key);
	rc = st_one(&q, "read setting", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_SETTING_NOT_SET, "thiết lập '%s' chưa có giá trị",
			       "setting '%s' is not set", key);
	if (!rc)
		*value = mc_xstrdup(st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_setting_set(st *s, const char *key, const char *value, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_SETTING_SET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":key", key);
	st_bind_text(&q, ":value", value);
	return st_exec_q(&q, "write setting", e);
}

/* ---- agencies ---- */

int st_agency_put(st *s, const char *code, const char *name, const char *kind,
		  const char *parent, int is_self, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_AGENCY_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	st_bind_text(&q, ":name", name);
	st_bind_text(&q, ":kind", kind);
	st_bind_text(&q, ":parent", parent);
	st_bind_int(&q, ":self", is_self);
	return st_exec_q(&q, "write agency", e);
}

int st_agency_get(st *s, const char *code, char *name, size_t size, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_AGENCY_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read agency", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_AGENCY_NOT_FOUND, "không có cơ quan mã '%s'",
			       "unknown agency '%s'", code);
	if (!rc && name)
		snprintf(name, size, "%s", st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_agency_list(st *s, st_agency_cb cb, void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_AGENCY_LIST, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW)
		if (cb(ctx, st_col_text(&q, 0), st_col_text(&q, 1), st_col_text(&q, 2),
		       st_col_int(&q, 3)))
			break;
	return st_walk_end(&q, rc, "list agencies", e);
}

/* ---- procedures ---- */

int st_procedure_put(st *s, const st_procedure *p, int *created, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_PROC_EXISTS, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", p->code);
	rc = st_one(&q, "read procedure", e);
	st_reset(&q);
	if (rc && rc != MC_ENOTFOUND)
		return rc;
	if (created)
		*created = rc == MC_ENOTFOUND;
	rc = ST_Q(s, Q_PROC_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", p->code);
	st_bind_text(&q, ":name", p->name);
	st_bind_text(&q, ":field", p->field ? p->field : "");
	st_bind_text(&q, ":level", p->level ? p->level : "");
	st_bind_text(&q, ":fold", p->fold);
	st_bind_int(&q, ":complete", p->complete);
	st_bind_text(&q, ":version", p->version);
	st_bind_text(&q, ":source", p->source);
	st_bind_text(&q, ":body", p->body);
	st_bind_int(&q, ":guessed", (p->guessed[0] ? 1 : 0) | (p->guessed[1] ? 2 : 0) |
					    (p->guessed[2] ? 4 : 0));
	for (int ch = 0; ch < 3; ch++) {
		char tn[4] = { ':', 't', (char)('0' + ch), 0 }, un[4] = { ':', 'u', (char)('0' + ch), 0 };
		if (p->unit[ch] >= 0) {
			st_bind_double(&q, tn, p->t[ch]);
			st_bind_text(&q, un, dl_unit_name(p->unit[ch]));
		}
	}
	return st_exec_q(&q, "write procedure", e);
}

int st_channel_parse(const char *name)
{
	static const char *const names[] = { "direct", "online", "postal" };
	for (int i = 0; name && i < 3; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* The processing time in the row of Q_PROC_TIME: the channel's own time,
 * else the direct one (the catalog often lists only the desk), else any. */
static int read_time(const st_stmt *q, const char *code, int ch, double *amount, int *unit,
		     int *guessed, mc_err *e)
{
	int order[4] = { ch, ST_CH_DIRECT, ST_CH_ONLINE, ST_CH_POSTAL };
	for (int i = 0; i < 4; i++) {
		int c = order[i];
		if (c < 0 || st_col_null(q, 1 + 2 * c))
			continue;
		*amount = st_col_double(q, 1 + 2 * c);
		*unit = dl_unit_parse(st_col_text(q, 2 + 2 * c));
		if (guessed)
			*guessed = (st_col_int(q, 7) >> c) & 1;
		if (*unit >= 0)
			return MC_OK;
		break;
	}
	return mc_fail(e, MCE_PROCEDURE_NO_TIME,
		       "thủ tục '%s' chưa có thời hạn giải quyết trong danh mục nên chưa tiếp nhận "
		       "được: quản trị cần bổ sung danh mục",
		       "procedure '%s' has no processing time on file", code);
}

int st_procedure_time(st *s, const char *code, int ch, double *amount, int *unit, int *guessed,
		      char *name, size_t size, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_PROC_TIME, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read procedure", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_PROCEDURE_NOT_FOUND, "không có thủ tục mã '%s' trong danh mục",
			       "unknown procedure '%s'", code);
	if (!rc) {
		if (name)
			snprintf(name, size, "%s", st_col_text(&q, 0));
		/* Not on the commune's list: disabled here, or, once the commune
		 * has a list (some procedure enabled), not in it. */
		int listed = st_col_null(&q, 8) ? !st_col_int(&q, 9) : st_col_int(&q, 8) == 1;
		if (!listed)
			rc = mc_fail(e, MCE_PROCEDURE_DISABLED,
				     "thủ tục '%s' không có trong danh mục thủ tục hành chính của xã "
				     "nên không tiếp nhận được: quản trị bật thủ tục này trong danh mục của xã",
				     "procedure '%s' is not on this commune's list", code);
		else
			rc = read_time(&q, code, ch, amount, unit, guessed, e);
	}
	st_reset(&q);
	return rc;
}

int st_procedure_get(st *s, const char *code, char **body, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_PROC_GET, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":code", code);
	rc = st_one(&q, "read procedure", e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_PROCEDURE_NOT_FOUND, "không có thủ tục mã '%s' trong danh mục",
			       "unknown procedure '%s'", code);
	if (!rc)
		*body = mc_xstrdup(st_col_text(&q, 0));
	st_reset(&q);
	return rc;
}

int st_procedure_list(st *s, const char *field, const char *fold_q, st_procedure_cb cb,
		      void *ctx, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_PROC_LIST, &q, e);
	if (rc)
		return rc;
	st_bind_text(&q, ":field", field && *field ? field : NULL);
	st_bind_text(&q, ":q", fold_q && *fold_q ? fold_q : NULL);
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		st_procedure p = {
			.code = st_col_text(&q, 0), .name = st_col_text(&q, 1),
			.field = st_col_text(&q, 2), .level = st_col_text(&q, 3),
			.fold = st_col_text(&q, 4), .complete = st_col_int(&q, 5),
			.version = st_col_text(&q, 6), .source = st_col_text(&q, 7),
			.body = st_col_text(&q, 8),
		};
		if (cb(ctx, &p))
			break;
	}
	return st_walk_end(&q, rc, "list procedures", e);
}

int st_procedure_count(st *s, int64_t *n, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_PROC_COUNT, &q, e);
	if (!rc)
		rc = st_one(&q, "count procedures", e);
	if (!rc)
		*n = st_col_int64(&q, 0);
	st_reset(&q);
	return rc;
}

/* ---- days-off schedules ---- */

/* Forgets the stored days of year and records who scheduled it. */
static int year_replace(st *s, int year, const char *version, const char *source, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HOL_DEL, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":year", year);
	rc = st_exec_q(&q, "replace schedule", e);
	if (!rc)
		rc = ST_Q(s, Q_HOLYEAR_PUT, &q, e);
	if (rc)
		return rc;
	st_bind_int(&q, ":year", year);
	st_bind_text(&q, ":version", version);
	st_bind_text(&q, ":source", source);
	return st_exec_q(&q, "replace schedule", e);
}

int st_holiday_replace(st *s, const cal_sched *sched, const int *years, int n_years,
		       const char *version, const char *source, mc_err *e)
{
	st_stmt q;
	int rc = MC_OK;
	for (int i = 0; !rc && i < n_years; i++)
		rc = year_replace(s, years[i], version, source, e);
	for (size_t k = 0; !rc && k < sched->n; k++) {
		const cal_entry *en = &sched->e[k];
		int y, m, d, wanted = 0;
		cal_civil_from_days(en->day, &y, &m, &d);
		for (int i = 0; i < n_years; i++)
			wanted |= years[i] == y;
		if (!wanted)
			continue;
		char day[11];
		cal_format_date(en->day, day);
		rc = ST_Q(s, Q_HOL_INS, &q, e);
		if (rc)
			break;
		st_bind_text(&q, ":day", day);
		st_bind_int(&q, ":year", y);
		st_bind_text(&q, ":kind", cal_kind_name(en->kind));
		st_bind_text(&q, ":occasion", en->occasion);
		st_bind_text(&q, ":source", en->source);
		st_bind_text(&q, ":version", version);
		rc = st_exec_q(&q, "write schedule", e);
	}
	return rc;
}

/* Adds the row of Q_HOL_ALL to sched. */
static int add_day(const st_stmt *q, cal_sched *sched, mc_err *e)
{
	int32_t day;
	int kind = cal_kind_parse(st_col_text(q, 1));
	int rc = cal_parse_date(st_col_text(q, 0), &day, e);
	if (rc)
		return rc;
	if (kind < 0)
		return mc_fail(e, MCE_STORE_CORRUPT, "loại ngày đã lưu '%s' không xác định",
			       "stored day kind '%s' is unknown", st_col_text(q, 1));
	return cal_sched_add(sched, day, kind, st_col_null(q, 2) ? NULL : st_col_text(q, 2),
			     st_col_null(q, 3) ? NULL : st_col_text(q, 3), e);
}

int st_holiday_load(st *s, cal_sched *sched, mc_err *e)
{
	st_stmt q;
	int rc = ST_Q(s, Q_HOLYEAR_ALL, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW)
		cal_sched_clear_year(sched, st_col_int(&q, 0));
	rc = st_walk_end(&q, rc, "read schedules", e);
	if (!rc)
		rc = ST_Q(s, Q_HOL_ALL, &q, e);
	if (rc)
		return rc;
	while ((rc = st_step(&q)) == SQLITE_ROW) {
		int bad = add_day(&q, sched, e);
		if (bad) {
			st_reset(&q);
			return bad;
		}
	}
	return st_walk_end(&q, rc, "read schedules", e);
}
