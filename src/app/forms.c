/*
 * forms.c - the printed forms and the register (forms.h). Each use case
 * reads what its form shows as JSON (the server's routes read in one
 * snapshot) and hands it to the doc layer; nothing is written.
 */
#include "app/forms.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/cal.h"
#include "doc/doc.h"

/* "Xã Kim Bôi" -> "Kim Bôi": the place of the date line. */
static const char *place_of(const char *unit)
{
	static const char *const kinds[] = { "Xã ", "Phường ", "Thị trấn ", "Đặc khu " };
	for (size_t i = 0; i < MC_ARRAY_LEN(kinds); i++)
		if (strncmp(unit, kinds[i], strlen(kinds[i])) == 0)
			return unit + strlen(kinds[i]);
	return unit;
}

static int officer_one(void *ctx, const st_user *u)
{
	json_object_set_new(ctx, u->login, json_string(u->name));
	return 0;
}

/* The input of doc_form_pdf without its dossier: the unit, the officers,
 * the time printed. lookup: the look-up address of code (NULL: none). */
static int form_input(app *a, const char *code, const char *origin, mc_time now, json_t **out,
		      mc_err *e)
{
	json_t *officers = json_object();
	int rc = st_user_list(a->st, officer_one, officers, e);
	if (rc) {
		json_decref(officers);
		return rc;
	}
	char *province = NULL;
	mc_err ignore;
	MC_IGNORE(st_setting_get(a->st, "province", &province, &ignore));
	json_t *pub = app_public_url_json(a);
	const char *base = json_is_string(pub) ? json_string_value(pub) : origin;
	char centre[384];
	snprintf(centre, sizeof centre, "Trung tâm Phục vụ hành chính công %s", a->agency_name);
	/* The centre's name says its kind in lower case: "... công xã Kim
	 * Bôi". */
	size_t k = strlen("Trung tâm Phục vụ hành chính công ");
	if (centre[k] >= 'A' && centre[k] <= 'Z')
		centre[k] = (char)(centre[k] - 'A' + 'a');
	/* In running text the kind is lower case: "Ủy ban nhân dân xã Kim Bôi". */
	char name_text[256];
	snprintf(name_text, sizeof name_text, "%s", a->agency_name);
	if (place_of(a->agency_name) != a->agency_name && name_text[0] >= 'A' && name_text[0] <= 'Z')
		name_text[0] = (char)(name_text[0] - 'A' + 'a');
	json_t *unit = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "agency", a->agency, "name",
				 a->agency_name, "name_text", name_text, "province",
				 province ? province : "", "place", place_of(a->agency_name),
				 "centre", centre);
	if (code && base && *base) {
		char url[512];
		size_t n = strlen(base);
		snprintf(url, sizeof url, "%.*s/tra-cuu/%s", (int)(n && base[n - 1] == '/' ? n - 1 : n),
			 base, code);
		json_object_set_new(unit, "lookup_url", json_string(url));
	}
	free(province);
	json_decref(pub);
	*out = json_pack("{s:o, s:o, s:o}", "unit", unit, "officers", officers, "printed_at",
			 app_json_time(now));
	return MC_OK;
}

/* The latest notice of kind among the dossier's. */
static json_t *latest_notice(json_t *d, const char *kind)
{
	json_t *found = NULL, *n;
	size_t i;
	json_array_foreach(json_object_get(d, "notices"), i, n) {
		const char *k = json_string_value(json_object_get(n, "kind"));
		if (k && strcmp(k, kind) == 0)
			found = n;
	}
	return found;
}

static int form_number(const char *form)
{
	if (!form)
		return 0;
	if (strcmp(form, "fee") == 0)
		return DOC_FEE;
	if (strlen(form) == 1 && form[0] >= '1' && form[0] <= '6')
		return form[0] - '0';
	return 0;
}

int app_form_pdf(app *a, const app_actor *by, const char *code, const char *form,
		 const char *origin, mc_time now, app_pdf *out, mc_err *e)
{
	memset(out, 0, sizeof *out);
	int n = form_number(form);
	if (!n)
		return mc_fail(e, MCE_DOC_NO_FORM,
			       "không có mẫu '%s' (chọn 1 đến 6, hoặc fee cho phiếu thu phí)",
			       "no form '%s' (1 to 6, or fee for the fee slip)", form ? form : "");
	if (!by->role)
		return mc_fail(e, MCE_UNAUTHORIZED, "đăng nhập để in mẫu biểu",
			       "sign in to print forms");
	json_t *in = NULL, *d = NULL;
	int rc = app_dossier_get(a, code, 1, now, &d, e);
	if (!rc)
		rc = form_input(a, code, origin, now, &in, e);
	if (!rc) {
		json_object_set(in, "dossier", d);
		static const char *const kinds[] = { [2] = "request_supplement", [3] = "refuse",
						     [5] = "stop" };
		if (n < (int)MC_ARRAY_LEN(kinds) && kinds[n]) {
			json_t *notice = latest_notice(d, kinds[n]);
			if (notice)
				json_object_set(in, "notice", notice);
		}
		rc = doc_form_pdf(n, in, &out->data, &out->len, e);
	}
	if (!rc)
		snprintf(out->filename, sizeof out->filename, "%s%s-%s.pdf",
			 n == DOC_FEE ? "phieu-thu-phi" : "mau-0", n == DOC_FEE ? "" : form, code);
	json_decref(in);
	json_decref(d);
	return rc;
}

typedef struct {
	json_t *codes;
} reg_ctx;

static int reg_one(void *ctx, const st_dossier *d)
{
	reg_ctx *c = ctx;
	json_array_append_new(c->codes, json_string(d->code));
	return json_array_size(c->codes) > APP_REGISTER_MAX ? 1 : 0;
}

static json_int_t reg_no(const json_t *d)
{
	const json_t *r = json_object_get(d, "register");
	return json_integer_value(json_object_get(r, "book")) * 100000000LL +
	       json_integer_value(json_object_get(r, "no"));
}

static int by_register(const void *x, const void *y)
{
	json_int_t a = reg_no(*(json_t *const *)x), b = reg_no(*(json_t *const *)y);
	return a < b ? -1 : a > b;
}

/* The period from..to as local days. OUT: *d0, *d1. */
static int period(const char *from, const char *to, mc_time now, int32_t *d0, int32_t *d1,
		  mc_err *e)
{
	int32_t today = cal_local_day(now);
	int y, m, d;
	cal_civil_from_days(today, &y, &m, &d);
	*d0 = cal_days_from_civil(y, m, 1);
	*d1 = today;
	mc_err pe;
	if (from && *from && cal_parse_date(from, d0, &pe))
		return mc_fail(e, MCE_DOC_BAD_PERIOD, "from phải là ngày YYYY-MM-DD",
			       "from must be a date YYYY-MM-DD");
	if (to && *to && cal_parse_date(to, d1, &pe))
		return mc_fail(e, MCE_DOC_BAD_PERIOD, "to phải là ngày YYYY-MM-DD",
			       "to must be a date YYYY-MM-DD");
	if (*d1 < *d0 || *d1 - *d0 > 365)
		return mc_fail(e, MCE_DOC_BAD_PERIOD,
			       "khoảng ngày (from, to) phải từ 1 đến 366 ngày, from không sau to",
			       "the period (from, to) must be 1 to 366 days, from not after to");
	return MC_OK;
}

static void iso_day(int32_t day, char out[40])
{
	int y, m, d;
	cal_civil_from_days(day, &y, &m, &d);
	snprintf(out, 40, "%04d-%02d-%02dT00:00:00+07:00", y, m, d);
}

int app_register_pdf(app *a, const app_actor *by, const char *from, const char *to, mc_time now,
		     app_pdf *out, mc_err *e)
{
	memset(out, 0, sizeof *out);
	if (!by->role)
		return mc_fail(e, MCE_UNAUTHORIZED, "đăng nhập để in sổ theo dõi hồ sơ",
			       "sign in to print the register");
	int32_t d0, d1;
	int rc = period(from, to, now, &d0, &d1, e);
	if (rc)
		return rc;
	st_dossier_filter f = { .state = -1, .now = now, .agency = a->agency,
				.received_from = cal_time_of(d0, 0),
				.received_to = cal_time_of(d1 + 1, 0) };
	reg_ctx c = { .codes = json_array() };
	json_t *in = NULL, *items = json_array();
	rc = st_dossier_list(a->st, &f, reg_one, &c, e);
	if (!rc && json_array_size(c.codes) > APP_REGISTER_MAX)
		rc = mc_fail(e, MCE_DOC_BAD_PERIOD,
			     "khoảng ngày có hơn %d hồ sơ: in từng phần ngắn hơn",
			     "the period holds more than %d dossiers: print shorter parts",
			     APP_REGISTER_MAX);
	size_t i;
	json_t *code;
	json_array_foreach(c.codes, i, code) {
		json_t *d;
		if (rc)
			break;
		rc = app_dossier_get(a, json_string_value(code), 1, now, &d, e);
		if (!rc)
			json_array_append_new(items, d);
	}
	if (!rc)
		rc = form_input(a, NULL, NULL, now, &in, e);
	json_decref(c.codes);
	if (!rc) {
		/* In the register's order: by book and number. */
		size_t n = json_array_size(items);
		json_t **v = mc_xmallocarray(n ? n : 1, sizeof *v);
		for (i = 0; i < n; i++)
			v[i] = json_incref(json_array_get(items, i));
		qsort(v, n, sizeof *v, by_register);
		json_t *sorted = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(sorted, v[i]);
		free(v);
		char f0[40], f1[40];
		iso_day(d0, f0);
		iso_day(d1, f1);
		json_object_set_new(in, "items", sorted);
		json_object_set_new(in, "from", json_string(f0));
		json_object_set_new(in, "to", json_string(f1));
		rc = doc_form_pdf(DOC_REGISTER, in, &out->data, &out->len, e);
	}
	if (!rc) {
		char a0[40], a1[40];
		iso_day(d0, a0);
		iso_day(d1, a1);
		snprintf(out->filename, sizeof out->filename, "so-theo-doi-ho-so-%.10s-%.10s.pdf", a0,
			 a1);
	}
	json_decref(in);
	json_decref(items);
	return rc;
}
