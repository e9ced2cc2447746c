/*
 * app.c - opening a node, creating one, users, calendar import, checks.
 */
#include "app_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/txt.h"
#include "embedded.h"
#include "store/ev.h"
#include "store/st_units.h"

#define BUILTIN_SCHEDULE "holidays-2024-2026.csv"

/* Bumped when settings or the calendar change, so the other connections of
 * this process reload them before their next request. */
static int config_gen;

json_t *app_json_time(mc_time t)
{
	if (t == 0)
		return json_null();
	char iso[26];
	cal_format_iso(t, iso);
	return json_string(iso);
}

mc_time app_iso_time(const char *s)
{
	char local[20];
	mc_time t;
	mc_err ig;
	if (!s || strlen(s) != 25 || strcmp(s + 19, "+07:00") != 0)
		return 0;
	memcpy(local, s, 19);
	local[19] = 0;
	return cal_parse_datetime(local, &t, &ig) == MC_OK ? t : 0;
}

int app_library_init(mc_err *e)
{
	st_library_init();
	if (sodium_init() < 0)
		return mc_fail(e, MCE_INTERNAL, "không khởi tạo được thư viện libsodium",
			       "libsodium failed to initialise");
	return MC_OK;
}

/* OUT: *t, the pinned time. 1 if MOTCUA_TEST_NOW pins the clock, 0 if it
 * is unset, -1 (e set) if it is set but malformed. */
static int pinned_now(mc_time *t, mc_err *e)
{
	const char *pin = getenv("MOTCUA_TEST_NOW");
	if (!pin || !*pin)
		return 0;
	mc_err pe;
	if (cal_parse_datetime(pin, t, &pe) != MC_OK) {
		if (e) {
			*e = pe;
			mc_prefix(e, "MOTCUA_TEST_NOW", "MOTCUA_TEST_NOW");
		}
		return -1;
	}
	return 1;
}

mc_time app_now(void)
{
	mc_time t;
	return pinned_now(&t, NULL) == 1 ? t : (mc_time)time(NULL);
}

int app_now_check(mc_err *e)
{
	mc_time t;
	return pinned_now(&t, e) < 0 ? MC_EINVAL : MC_OK;
}

const char *app_agency_code(const app *a)
{
	return a->agency;
}

const char *app_agency_name(const app *a)
{
	return a->agency_name;
}

const char *app_dir(const app *a)
{
	return a->dir;
}

int app_health(app *a, mc_err *e)
{
	if (st_schema_version(a->st) < 1)
		return mc_fail(e, MCE_INTERNAL, "cơ sở dữ liệu không trả lời", "the database does not answer");
	return MC_OK;
}

static int agency_one(void *ctx, const char *code, const char *name, const char *kind,
		      int is_self)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:b}", "code", code, "name", name,
					     "kind", kind, "self", is_self));
	return 0;
}

int app_agencies_json(app *a, json_t **out, mc_err *e)
{
	json_t *arr = json_array();
	int rc = st_agency_list(a->st, agency_one, arr, e);
	if (rc) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:o}", "items", arr);
	return MC_OK;
}

int app_bench_procedure(app *a, char code[32], mc_err *e)
{
	json_t *list;
	int rc = app_catalog_list(a, NULL, NULL, &list, e);
	if (rc)
		return rc;
	rc = MC_ENOTFOUND;
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it) {
		double amt;
		int unit;
		char nm[8];
		mc_err ig;
		const char *c = json_string_value(json_object_get(it, "code"));
		if (c && strlen(c) < 32 &&
		    st_procedure_time(a->st, c, ST_CH_DIRECT, &amt, &unit, NULL, nm, sizeof nm,
				      &ig) == MC_OK) {
			snprintf(code, 32, "%s", c);
			rc = MC_OK;
			break;
		}
	}
	json_decref(list);
	if (rc)
		return mc_fail(e, MCE_NOT_FOUND,
			       "không có thủ tục nào có thời hạn giải quyết: nhập danh mục thủ tục trước",
			       "no procedure with a processing time: import the catalog first");
	return MC_OK;
}

int app_bench_raw_commits(app *a, int n, mc_err *e)
{
	return st_bench_raw_commits(a->st, n, e);
}

static const mc_embedded_file *embedded(const char *name)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int app_builtin_sched(cal_sched *s, mc_err *e)
{
	const mc_embedded_file *f = embedded(BUILTIN_SCHEDULE);
	if (!f)
		return mc_fail(e, MCE_INTERNAL, "thiếu lịch nghỉ có sẵn trong bản cài đặt",
			       "built-in schedule is missing");
	int rc = cal_sched_add_csv(s, (const char *)f->data, f->size, NULL, 0, NULL, e);
	return rc ? rc : cal_sched_finish(s, e);
}

static int path_join(char *out, size_t size, const char *dir, const char *file, mc_err *e)
{
	int n = snprintf(out, size, "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= size)
		return mc_fail(e, MCE_INVALID, "đường dẫn thư mục dữ liệu quá dài",
			       "data directory path is too long");
	return MC_OK;
}

/* Loads settings and the calendar into a. */
static int load_node(app *a, mc_err *e)
{
	char *v = NULL;
	int rc = st_setting_get(a->st, "agency", &v, e);
	if (rc)
		return rc;
	snprintf(a->agency, sizeof a->agency, "%s", v);
	free(v);
	rc = st_setting_get(a->st, "agency_name", &v, e);
	if (rc)
		return rc;
	snprintf(a->agency_name, sizeof a->agency_name, "%s", v);
	free(v);
	dl_hours_default(&a->hours);
	rc = st_setting_get(a->st, "office_hours", &v, e);
	if (!rc) {
		rc = dl_hours_parse(v, &a->hours, e);
		free(v);
		if (rc)
			return rc;
	}
	rc = st_setting_get(a->st, "cutoff", &v, e);
	if (!rc) {
		int hh = 0, mm = 0;
		if (sscanf(v, "%d:%d", &hh, &mm) == 2 && hh >= 0 && hh < 24 && mm >= 0 && mm < 60)
			a->hours.cutoff = hh * 3600 + mm * 60;
		free(v);
	}
	a->hub = 0;
	a->epoch[0] = 0;
	rc = st_setting_get(a->st, "role", &v, e);
	if (!rc) {
		a->hub = strcmp(v, "hub") == 0;
		free(v);
	}
	rc = st_setting_get(a->st, "hub_epoch", &v, e);
	if (!rc) {
		snprintf(a->epoch, sizeof a->epoch, "%s", v);
		free(v);
	}
	rc = st_setting_get(a->st, "public_key", &v, e);
	if (!rc) {
		snprintf(a->pubkey, sizeof a->pubkey, "%s", v);
		free(v);
	}
	a->session_max_hours = APP_SESSION_MAX_HOURS;
	rc = st_setting_get(a->st, "session_max_hours", &v, e);
	if (!rc) {
		int n = 0, used = 0;
		if (sscanf(v, "%d%n", &n, &used) == 1 && !v[used] && n >= 1 &&
		    n <= APP_SESSION_MAX_HOURS_LIMIT)
			a->session_max_hours = n;
		free(v);
	}
	cal_sched_release(&a->sched);
	cal_sched_init(&a->sched);
	rc = st_holiday_load(a->st, &a->sched, e);
	if (!rc)
		rc = cal_sched_finish(&a->sched, e);
	a->clock.sched = &a->sched;
	a->clock.hours = &a->hours;
	return rc;
}

/* The database, the node's private key and the sessions' hashes live in
 * dir: nobody but the node's own account may enter it. */
static int dir_private(const char *dir, mc_err *e)
{
	struct stat sb;
	if (stat(dir, &sb) != 0)
		return MC_OK; /* st_open says what is missing */
	if (S_ISDIR(sb.st_mode) && (sb.st_mode & 077))
		return mc_fail(e, MCE_NODE_DIR_NOT_PRIVATE,
			       "thư mục dữ liệu '%s' đang để tài khoản khác truy cập được (quyền %03o): "
			       "chạy chmod 700 %s",
			       "data directory '%s' is open to other users (mode %03o): "
			       "run chmod 700 %s",
			       dir, (unsigned)(sb.st_mode & 0777), dir);
	return MC_OK;
}

int app_open(const char *dir, app **out, mc_err *e)
{
	char path[600];
	int rc = path_join(path, sizeof path, dir, APP_DB_FILE, e);
	if (!rc)
		rc = dir_private(dir, e);
	if (rc)
		return rc;
	app *a = mc_xcalloc(1, sizeof *a);
	snprintf(a->dir, sizeof a->dir, "%s", dir);
	cal_sched_init(&a->sched);
	rc = st_open(path, 0, &a->st, e);
	if (rc == MC_ENOTFOUND)
		mc_fail(e, MCE_NODE_NOT_DATA_DIR,
			"'%s' không phải thư mục dữ liệu của motcua (chạy motcua init)",
			"'%s' is not a motcua data directory (run motcua init)", dir);
	if (!rc)
		rc = load_node(a, e);
	if (rc) {
		app_close(a);
		return rc;
	}
	a->config_gen = __atomic_load_n(&config_gen, __ATOMIC_ACQUIRE);
	*out = a;
	return MC_OK;
}

void app_close(app *a)
{
	if (!a)
		return;
	app_hist_cache_free(a);
	st_close(a->st);
	cal_sched_release(&a->sched);
	free(a);
}

int app_refresh(app *a, mc_err *e)
{
	int g = __atomic_load_n(&config_gen, __ATOMIC_ACQUIRE);
	if (g == a->config_gen)
		return MC_OK;
	int rc = load_node(a, e);
	if (!rc)
		a->config_gen = g;
	return rc;
}

json_t *app_settings_json(app *a)
{
	char office[64], cut[32];
	dl_hours_format(&a->hours, office, sizeof office);
	snprintf(cut, sizeof cut, "%02d:%02d", a->hours.cutoff / 3600, a->hours.cutoff / 60 % 60);
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:s}", "agency", a->agency, "agency_name",
			 a->agency_name, "office_hours", office, "cutoff", cut, "session_max_hours",
			 a->session_max_hours, "public_url", app_public_url_json(a), "node_role",
			 a->hub ? "hub" : "commune");
}

int app_settings_update(app *a, const app_actor *by, const char *office_hours,
			const char *cutoff, int session_max_hours, mc_time now, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được thay đổi cài đặt",
			       "only an administrator may change settings");
	dl_hours h = a->hours;
	char office[64], cut[32], hours[16];
	int max_hours = a->session_max_hours;
	if (session_max_hours != -1) {
		if (session_max_hours < 1 || session_max_hours > APP_SESSION_MAX_HOURS_LIMIT)
			return mc_fail(e, MCE_SETTINGS_BAD_VALUE,
				       "session_max_hours phải là số nguyên từ 1 đến %d",
				       "session_max_hours must be a whole number from 1 to %d",
				       APP_SESSION_MAX_HOURS_LIMIT);
		max_hours = session_max_hours;
	}
	if (office_hours) {
		int rc = dl_hours_parse(office_hours, &h, e);
		if (rc)
			return rc;
	}
	if (cutoff) {
		int hh, mm, n = 0;
		if (sscanf(cutoff, "%2d:%2d%n", &hh, &mm, &n) != 2 || cutoff[n] || hh < 0 || hh > 23 ||
		    mm < 0 || mm > 59)
			return mc_fail(e, MCE_SETTINGS_BAD_VALUE, "cutoff phải có dạng HH:MM, không phải '%.20s'",
				       "cutoff must be HH:MM, not '%.20s'", cutoff);
		h.cutoff = hh * 3600 + mm * 60;
	}
	dl_hours_format(&h, office, sizeof office);
	snprintf(cut, sizeof cut, "%02d:%02d", h.cutoff / 3600, h.cutoff / 60 % 60);
	snprintf(hours, sizeof hours, "%d", max_hours);
	json_t *p = json_pack("{s:s, s:s, s:i}", "office_hours", office, "cutoff", cut,
			      "session_max_hours", max_hours);
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = st_setting_set(a->st, "office_hours", office, e);
	if (!rc)
		rc = st_setting_set(a->st, "cutoff", cut, e);
	if (!rc)
		rc = st_setting_set(a->st, "session_max_hours", hours, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "settings.updated", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	if (!rc) {
		__atomic_add_fetch(&config_gen, 1, __ATOMIC_RELEASE);
		rc = app_refresh(a, e);
	}
	return rc;
}

int app_dashboard(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e)
{
	mc_time near;
	int rc = dl_near_due_before(&a->sched, &a->hours, now, &near, e);
	if (rc)
		return rc;
	int32_t today = cal_local_day(now);
	st_counts c;
	rc = st_dossier_counts(a->st, a->agency, now, near, cal_time_of(today, 0),
			       cal_time_of(today + 1, 0), by->login, &c, e);
	if (rc)
		return rc;
	int64_t mine = c.mine;
	if (by->role == ROLE_LEADER)
		mine = c.awaiting_approval + c.received;
	else if (by->role == ROLE_RECEPTION)
		mine = c.submitted + c.received + c.result_ready;
	*out = json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}",
			 "now", app_json_time(now), "near_due_before", app_json_time(near), "counts",
			 "submitted", (json_int_t)c.submitted, "received", (json_int_t)c.received,
			 "processing", (json_int_t)c.processing, "awaiting_approval",
			 (json_int_t)c.awaiting_approval, "supplement", (json_int_t)c.supplement,
			 "awaiting_payment", (json_int_t)c.awaiting_payment, "result_ready",
			 (json_int_t)c.result_ready, "overdue", (json_int_t)c.overdue, "near_due",
			 (json_int_t)c.near_due, "received_today", (json_int_t)c.received_today,
			 "returned_today", (json_int_t)c.returned_today, "my_queue", (json_int_t)mine);
	return MC_OK;
}

int app_read_begin(app *a, mc_err *e)
{
	return st_read_begin(a->st, e);
}

void app_read_end(app *a)
{
	st_read_end(a->st);
}

void app_actor_system(app *a, app_actor *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->login, sizeof out->login, "system");
	snprintf(out->name, sizeof out->name, "Quản trị hệ thống (dòng lệnh)");
	out->role = ROLE_ADMIN;
	snprintf(out->agency, sizeof out->agency, "%s", a->agency);
}

int app_actor_load(app *a, const char *login, app_actor *out, mc_err *e)
{
	st_user u;
	int rc = st_user_get(a->st, login, &u, e);
	if (rc)
		return rc;
	if (u.disabled)
		return mc_fail(e, MCE_USER_DISABLED, "tài khoản '%s' đã bị khoá", "user '%s' is disabled",
			       login);
	memset(out, 0, sizeof *out);
	snprintf(out->login, sizeof out->login, "%s", u.login);
	snprintf(out->name, sizeof out->name, "%s", u.name);
	snprintf(out->agency, sizeof out->agency, "%s", u.agency);
	snprintf(out->unit, sizeof out->unit, "%s", u.unit);
	out->role = u.role;
	return MC_OK;
}

int app_agency_add(app *a, const app_actor *by, const char *code, const char *name,
		   const char *kind, const char *parent, mc_time now, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được thêm cơ quan",
			       "only an administrator may add agencies");
	int rc = txt_check_field("name", name, 200, 1, 0, e);
	if (rc)
		return rc;
	json_t *p = json_pack("{s:s, s:s, s:s, s:s?}", "code", code, "name", name, "kind", kind,
			      "parent", parent);
	if (!p)
		return mc_fail(e, MCE_AGENCY_BAD_CODE, "mã cơ quan không phải văn bản UTF-8 hợp lệ",
			       "agency code is not valid UTF-8");
	rc = st_begin(a->st, e);
	if (!rc)
		rc = st_agency_put(a->st, code, name, kind, parent, 0, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "agency.added", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	return rc;
}

/* ---- users ---- */

static unsigned long pw_verifies;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

/* A hash of a random password nobody knows, at the cost of a real one. */
static void dummy_make(void)
{
	unsigned char r[24];
	char pw[2 * sizeof r + 1];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(pw, sizeof pw, r, sizeof r);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), APP_PW_OPSLIMIT, APP_PW_MEMLIMIT) != 0)
		dummy_hash[0] = 0; /* out of memory: verifying fails, as it must */
	sodium_memzero(pw, sizeof pw);
}

int app_pw_hash(char *out, const char *password, mc_err *e)
{
	if (crypto_pwhash_str(out, password, strlen(password), APP_PW_OPSLIMIT, APP_PW_MEMLIMIT) !=
	    0)
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ khi băm mật khẩu",
			       "out of memory hashing the password");
	return MC_OK;
}

int app_pw_verify(const char *hash, const char *password)
{
	pthread_once(&dummy_once, dummy_make);
	const char *h = hash ? hash : dummy_hash;
	const char *pw = password ? password : "";
	__atomic_add_fetch(&pw_verifies, 1, __ATOMIC_RELAXED);
	int ok = crypto_pwhash_str_verify(h, pw, strlen(pw)) == 0;
	return ok && hash != NULL;
}

unsigned long app_test_pw_verifies(void)
{
	return __atomic_load_n(&pw_verifies, __ATOMIC_RELAXED);
}

static int valid_login(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

int app_user_add(app *a, const app_actor *by, const char *login, const char *role,
		 const char *name, const char *password, mc_time now, mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được thêm tài khoản",
			       "only an administrator may add users");
	if (!login || !valid_login(login))
		return mc_fail(e, MCE_USER_BAD_LOGIN,
			       "login (tên đăng nhập) phải dài 2-32 ký tự, gồm a-z, 0-9, '.', '_' hoặc '-'",
			       "login must be 2-32 characters of a-z, 0-9, '.', '_' or '-'");
	int r = dsr_role_parse(role);
	if (!r)
		return mc_fail(e, MCE_USER_BAD_ROLE,
			       "role: không có vai trò '%s' (reception, specialist, leader, admin, supervisor)",
			       "unknown role '%s' (reception, specialist, leader, admin, supervisor)",
			       role ? role : "");
	int rc = txt_check_field("name", name, 200, 1, 0, e);
	if (rc)
		return rc;
	if (!password || strlen(password) < 8 || strlen(password) > 256)
		return mc_fail(e, MCE_USER_PASSWORD_LENGTH, "password (mật khẩu) phải dài từ 8 đến 256 byte",
			       "password must be 8 to 256 bytes");
	st_user u;
	memset(&u, 0, sizeof u);
	snprintf(u.login, sizeof u.login, "%s", login);
	snprintf(u.agency, sizeof u.agency, "%s", a->agency);
	char *nfc = txt_nfc(name);
	snprintf(u.name, sizeof u.name, "%s", nfc ? nfc : name);
	free(nfc);
	u.role = r;
	u.created_at = now;
	rc = app_pw_hash(u.pw_hash, password, e);
	if (rc)
		return rc;

	json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "login", u.login, "name", u.name, "role",
			      dsr_role_name(r), "agency", u.agency);
	rc = st_begin(a->st, e);
	if (!rc)
		rc = st_user_insert(a->st, &u, e);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "user.added", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	sodium_memzero(u.pw_hash, sizeof u.pw_hash);
	return rc;
}

int app_user_login(app *a, const char *login, const char *password, app_actor *out, mc_err *e)
{
	st_user u;
	mc_err ignore;
	/* Unknown and disabled accounts are checked against a dummy hash: the
	 * time taken must not tell a real login from one that is not. */
	int real = login && st_user_get(a->st, login, &u, &ignore) == MC_OK && !u.disabled;
	int ok = app_pw_verify(real ? u.pw_hash : NULL, password);
	if (real)
		sodium_memzero(u.pw_hash, sizeof u.pw_hash);
	if (!ok)
		return mc_fail(e, MCE_WRONG_LOGIN, "sai tên đăng nhập hoặc mật khẩu",
			       "wrong login or password");
	return app_actor_load(a, login, out, e);
}

/* ---- calendar ---- */

/* Lays the calendar year y currently has (schedule or defaults) under the
 * file's rows in tmp: dates the file names win. */
static int add_base_year(app *a, cal_sched *tmp, int y, mc_err *e)
{
	cal_entry def[64];
	size_t nd = 0;
	const cal_entry *base = NULL;
	size_t nb = 0;
	cal_entry *own = NULL;
	if (cal_sched_has_year(&a->sched, y)) {
		own = mc_xcalloc(a->sched.n ? a->sched.n : 1, sizeof *own);
		for (size_t k = 0; k < a->sched.n; k++) {
			int yy, m, d;
			cal_civil_from_days(a->sched.e[k].day, &yy, &m, &d);
			if (yy == y)
				own[nb++] = a->sched.e[k];
		}
		base = own;
	} else {
		nd = cal_default_days_off(y, def, MC_ARRAY_LEN(def));
		base = def;
		nb = nd;
	}
	int rc = MC_OK;
	for (size_t k = 0; !rc && k < nb; k++) {
		int listed = 0;
		for (size_t i = 0; i < tmp->n && !listed; i++)
			listed = tmp->e[i].day == base[k].day;
		if (!listed)
			rc = cal_sched_add(tmp, base[k].day, base[k].kind, base[k].occasion,
					   base[k].source, e);
	}
	free(own);
	return rc;
}

int app_cal_prepare(app *a, const char *text, size_t len, const char *source, int add,
		    app_cal_import *ci, mc_err *e)
{
	memset(ci, 0, sizeof *ci);
	cal_sched_init(&ci->s);
	int *ys = ci->ys;
	int ny = 0;
	int rc = cal_sched_add_csv(&ci->s, text, len, ys, 64, &ny, e);
	if (!rc && ny == 0)
		rc = mc_fail(e, MCE_CALENDAR_IMPORT_EMPTY, "tệp không có ngày nghỉ hay ngày làm bù nào",
			     "the file lists no days off or make-up days");
	if (!rc && ny >= 64)
		rc = mc_fail(e, MCE_INVALID, "tệp có lịch của hơn 63 năm",
			     "the file names more than 63 years");
	for (size_t k = 0; !rc && k < ci->s.n; k++) {
		char day[11], field[48];
		cal_format_date(ci->s.e[k].day, day);
		snprintf(field, sizeof field, "occasion of %s", day);
		rc = txt_check_field(field, ci->s.e[k].occasion, 300, 0, 0, e);
		snprintf(field, sizeof field, "source of %s", day);
		if (!rc)
			rc = txt_check_field(field, ci->s.e[k].source, 300, 0, 0, e);
	}
	for (int i = 0; !rc && i < ny; i++) {
		if (add) {
			rc = add_base_year(a, &ci->s, ys[i], e);
			continue;
		}
		int32_t miss[6];
		size_t nm = cal_statutory_missing(&ci->s, ys[i], miss, 6);
		if (nm) {
			char d[11];
			cal_format_date(miss[0], d);
			rc = mc_fail(e, MCE_CALENDAR_IMPORT_INCOMPLETE,
				     "tệp không phải lịch nghỉ đầy đủ của năm %d: thiếu ngày lễ %s%s; "
				     "để thêm ngày vào lịch hiện có, dùng --add",
				     "the file is not a whole schedule for %d: it does not list the "
				     "holiday %s%s; to add days to the current calendar use --add",
				     ys[i], d, nm > 1 ? " and others" : "");
		}
	}
	if (!rc && !txt_utf8_valid(source, strlen(source)))
		rc = mc_fail(e, MCE_INVALID, "tên tệp không phải văn bản UTF-8 hợp lệ",
			     "the file name is not valid UTF-8");
	ci->ny = ny;
	if (rc) {
		app_cal_release(ci);
		return rc;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(ci->version, sizeof ci->version, h, 8);

	json_t *yl = json_array();
	for (int i = 0; i < ny; i++)
		json_array_append_new(yl, json_integer(ys[i]));
	json_t *days = json_array();
	for (size_t k = 0; k < ci->s.n; k++) {
		char d[11];
		cal_format_date(ci->s.e[k].day, d);
		json_array_append_new(days, json_pack("{s:s, s:s, s:s?}", "day", d, "kind",
						      cal_kind_name(ci->s.e[k].kind), "occasion",
						      ci->s.e[k].occasion));
	}
	ci->payload = json_pack("{s:o, s:o, s:s, s:s, s:b}", "years", yl, "days", days,
				"version", ci->version, "source", source, "add", add);
	if (!ci->payload) {
		app_cal_release(ci);
		return mc_fail(e, MCE_INVALID, "không mã hoá được lịch nghỉ",
			       "the schedule cannot be encoded");
	}
	snprintf(ci->source, sizeof ci->source, "%s", source);
	return MC_OK;
}

int app_cal_write(app *a, const char *actor, app_cal_import *ci, mc_time now, int64_t *seq,
		  mc_err *e)
{
	int rc = st_holiday_replace(a->st, &ci->s, ci->ys, ci->ny, ci->version, ci->source, e);
	if (!rc)
		rc = ev_append(a->st, now, actor, "calendar.imported", NULL, ci->payload, seq, e);
	return rc;
}

void app_cal_changed(void)
{
	__atomic_add_fetch(&config_gen, 1, __ATOMIC_RELEASE);
}

void app_cal_release(app_cal_import *ci)
{
	cal_sched_release(&ci->s);
	json_decref(ci->payload);
	ci->payload = NULL;
}

int app_calendar_import(app *a, const app_actor *by, const char *text, size_t len,
			const char *source, int add, mc_time now, int *years, int *n_years,
			mc_err *e)
{
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được nhập lịch nghỉ",
			       "only an administrator may import a schedule");
	app_cal_import ci;
	int rc = app_cal_prepare(a, text, len, source, add, &ci, e);
	if (rc)
		return rc;
	rc = st_begin(a->st, e);
	if (!rc)
		rc = app_cal_write(a, by->login, &ci, now, NULL, e);
	rc = st_end(a->st, rc, e);
	if (!rc) {
		app_cal_changed();
		rc = app_refresh(a, e);
	}
	if (!rc && years && n_years) {
		for (int i = 0; i < ci.ny; i++)
			years[i] = ci.ys[i];
		*n_years = ci.ny;
	}
	app_cal_release(&ci);
	return rc;
}

/* ---- check ---- */

int app_check(app *a, int64_t *events, int64_t *bad_seq, mc_err *e)
{
	*bad_seq = 0;
	int rc = st_integrity(a->st, e);
	if (rc)
		return rc;
	rc = ev_verify(a->st, events, bad_seq, e);
	if (rc)
		return rc;
	/* A log cut short at its tail verifies as a chain; the dossiers still
	 * name the events that were there. */
	int64_t max_seq = 0;
	rc = st_dossier_max_seq(a->st, &max_seq, e);
	if (!rc && max_seq > *events)
		rc = mc_fail(e, MCE_CORRUPT,
			     "nhật ký sự kiện kết thúc ở sự kiện %lld nhưng có hồ sơ được sửa bởi "
			     "sự kiện %lld: nhật ký bị mất các sự kiện cuối",
			     "the event log ends at %lld but a dossier was changed by event %lld: "
			     "events are missing from the end",
			     (long long)*events, (long long)max_seq);
	return rc;
}

/* ---- init ---- */

static int dir_prepare(const char *dir, mc_err *e)
{
	struct stat sb;
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return mc_fail(e, MCE_NODE_DIR_NOT_EMPTY, "'%s' đã có nhưng không phải là thư mục",
				       "'%s' exists and is not a directory", dir);
		DIR *d = opendir(dir);
		if (!d)
			return mc_fail(e, MCE_NODE_IO, "không đọc được '%s': %s", "cannot read '%s': %s",
				       dir, strerror(errno));
		struct dirent *de;
		int empty = 1;
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
				empty = 0;
		closedir(d);
		if (!empty)
			return mc_fail(e, MCE_NODE_DIR_NOT_EMPTY,
				       "'%s' đã có và không trống: không động đến thư mục này",
				       "'%s' already exists and is not empty: refusing to touch it", dir);
		/* An empty directory made by hand (often 0755) becomes the
		 * node's: private, as a new one is made below. */
		if ((sb.st_mode & 077) && chmod(dir, 0700) != 0)
			return mc_fail(e, MCE_NODE_IO,
				       "không chặn được tài khoản khác truy cập '%s' (chmod 700): %s",
				       "cannot make '%s' private (chmod 700): %s", dir, strerror(errno));
		return MC_OK;
	}
	if (mkdir(dir, 0700) != 0)
		return mc_fail(e, MCE_NODE_IO, "không tạo được '%s': %s", "cannot create '%s': %s", dir,
			       strerror(errno));
	return MC_OK;
}

static int write_file(const char *path, const char *data, size_t len, mode_t mode, mc_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd < 0)
		return mc_fail(e, MCE_NODE_IO, "không tạo được '%s': %s", "cannot create '%s': %s", path,
			       strerror(errno));
	ssize_t n = write(fd, data, len);
	int ok = n == (ssize_t)len && fsync(fd) == 0;
	close(fd);
	if (!ok)
		return mc_fail(e, MCE_NODE_IO, "không ghi được '%s'", "cannot write '%s'", path);
	return MC_OK;
}

/* The node's Ed25519 identity for sync: private key readable by the owner
 * only, public key also kept in the settings. */
static int make_keys(const char *dir, char pub_hex[65], mc_err *e)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char sk_hex[2 * crypto_sign_SECRETKEYBYTES + 2], path[600];
	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(pub_hex, 65, pk, sizeof pk);
	sodium_bin2hex(sk_hex, sizeof sk_hex, sk, sizeof sk);
	size_t n = strlen(sk_hex);
	sk_hex[n] = '\n';
	int rc = path_join(path, sizeof path, dir, "node.key", e);
	if (!rc)
		rc = write_file(path, sk_hex, n + 1, 0600, e);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(sk_hex, sizeof sk_hex);
	if (!rc)
		rc = path_join(path, sizeof path, dir, "node.pub", e);
	if (!rc) {
		char line[68];
		snprintf(line, sizeof line, "%s\n", pub_hex);
		rc = write_file(path, line, strlen(line), 0644, e);
	}
	return rc;
}

int app_agency_code_valid(const char *s)
{
	/* Electronic identifiers look like 000.00.00.H56 (DOMAIN "Codes"). */
	size_t n = strlen(s);
	if (n < 3 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.'))
			return 0;
	return 1;
}

static int init_node(const char *dir, const char *agency, const char *name,
		     const app_init_opts *opts, mc_time now, FILE *out, mc_err *e);

int app_init_dir(const char *dir, const app_init_opts *opts, mc_time now, FILE *out, mc_err *e)
{
	const char *agency = opts->agency ? opts->agency : "000.00.00.H00";
	const char *name = opts->name ? opts->name : "Trung tâm Phục vụ hành chính công xã";
	if (opts->demo) {
		agency = opts->agency ? opts->agency : "000.31.45.H45";
		name = opts->name ? opts->name : "Xã Kim Bôi";
	}
	if (!app_agency_code_valid(agency))
		return mc_fail(e, MCE_AGENCY_BAD_CODE,
			       "mã cơ quan '%s' phải có dạng 000.00.00.H56 (chữ số, A-Z, dấu chấm)",
			       "agency code '%s' must look like 000.00.00.H56 (digits, A-Z, dots)",
			       agency);
	int rc = txt_check_field("name", name, 200, 1, 0, e);
	if (rc)
		return rc;
	struct stat before;
	int existed = stat(dir, &before) == 0;
	rc = dir_prepare(dir, e);
	if (rc)
		return rc;
	rc = init_node(dir, agency, name, opts, now, out, e);
	if (rc) {
		/* Leave nothing half-made: a retry must find the directory as it was. */
		static const char *const files[] = { APP_DB_FILE, APP_DB_FILE "-wal",
						     APP_DB_FILE "-shm", "node.key", "node.pub" };
		char path[600];
		for (size_t i = 0; i < MC_ARRAY_LEN(files); i++)
			if (path_join(path, sizeof path, dir, files[i], NULL) == MC_OK)
				unlink(path);
		if (!existed)
			rmdir(dir);
	}
	return rc;
}

static int init_node(const char *dir, const char *agency, const char *name,
		     const app_init_opts *opts, mc_time now, FILE *out, mc_err *e)
{
	int rc;
	char path[600], pub[65];
	rc = make_keys(dir, pub, e);
	if (!rc)
		rc = path_join(path, sizeof path, dir, APP_DB_FILE, e);
	st *s = NULL;
	if (!rc)
		rc = st_open(path, 1, &s, e);
	if (rc)
		return rc;

	cal_sched builtin;
	cal_sched_init(&builtin);
	const mc_embedded_file *f = embedded(BUILTIN_SCHEDULE);
	int ys[16], ny = 0;
	char office[64];
	dl_hours h;
	dl_hours_default(&h);
	dl_hours_format(&h, office, sizeof office);
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "agency", agency, "name", name,
			      "public_key", pub, "office_hours", office, "cutoff", "15:00");
	rc = f ? cal_sched_add_csv(&builtin, (const char *)f->data, f->size, ys, 16, &ny, e)
	       : mc_fail(e, MCE_INTERNAL, "thiếu lịch nghỉ có sẵn trong bản cài đặt",
			 "built-in schedule is missing");
	if (!rc)
		rc = st_begin(s, e);
	if (!rc) {
		const char *kv[][2] = {
			{ "agency", agency }, { "agency_name", name }, { "public_key", pub },
			{ "office_hours", office }, { "cutoff", "15:00" },
			{ "province", opts->demo ? "Tỉnh Phú Thọ" : "" },
		};
		for (size_t i = 0; !rc && i < MC_ARRAY_LEN(kv); i++)
			rc = st_setting_set(s, kv[i][0], kv[i][1], e);
		if (!rc && opts->hub) {
			/* The epoch names this hub database (docs/sync.md §6.4). */
			unsigned char r[16];
			char epoch[33];
			randombytes_buf(r, sizeof r);
			sodium_bin2hex(epoch, sizeof epoch, r, sizeof r);
			rc = st_setting_set(s, "role", "hub", e);
			if (!rc)
				rc = st_setting_set(s, "hub_epoch", epoch, e);
			/* A hub's units are the province's departments. */
			if (!rc)
				rc = st_unit_drop_scope(s, "node", e);
		}
		if (!rc)
			rc = st_agency_put(s, agency, name, opts->hub ? "province" : "commune", NULL, 1, e);
		if (!rc)
			rc = st_holiday_replace(s, &builtin, ys, ny, "builtin-2026.1", BUILTIN_SCHEDULE, e);
		if (!rc)
			rc = ev_append(s, now, "system", "node.created", NULL, p, NULL, e);
		rc = st_end(s, rc, e);
	}
	json_decref(p);
	cal_sched_release(&builtin);
	st_close(s);
	if (rc)
		return rc;

	app *a = NULL;
	rc = app_open(dir, &a, e);
	if (!rc && opts->admin_login) {
		app_actor sys;
		app_actor_system(a, &sys);
		rc = app_user_add(a, &sys, opts->admin_login, "admin", "Quản trị viên",
				  opts->admin_password, now, e);
	}
	if (!rc && opts->demo)
		rc = app_demo_load(a, now, out, e);
	if (!rc && opts->demo && opts->office && !opts->hub)
		rc = app_demo_office(a, now, e);
	/* A hub checks submissions and the procedure lists it publishes
	 * against the national catalog, shipped in the binary. */
	if (!rc && opts->hub && !opts->demo) {
		app_actor sys;
		app_actor_system(a, &sys);
		rc = app_catalog_ship(a, &sys, now, e);
	}
	app_close(a);
	return rc;
}
