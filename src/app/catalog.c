#include "catalog.h"

#include "core/catp.h"
#include "core/dl.h"
#include "core/txt.h"

/* Unit names as dl_unit_name gives them; kept here so the catalog does not
 * need the deadline code to read and write them. */
static const char *unit_names[] = {
	[DL_WORKING_DAYS] = "working_days",
	[DL_WORKING_HOURS] = "working_hours",
	[DL_CALENDAR_DAYS] = "calendar_days",
	[DL_SAME_DAY] = "same_day",
};

static int unit_parse(const char *s)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(unit_names); i++) {
		if (strcmp(s, unit_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* The groups that can fail to parse, as named in "unparsed" and "raw". */
static const char *groups[] = { "channels", "components", "result" };

/* ---- building JSON ---- */

/* A jansson allocation failure is out-of-memory: fatal, as in mc_xmalloc. */
static json_t *must(json_t *j)
{
	if (!j) {
		fputs("motcua: out of memory (jansson)\n", stderr);
		abort();
	}
	return j;
}

static void put(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, must(v)) != 0)
		must(NULL);
}

static void push(json_t *a, json_t *v)
{
	if (json_array_append_new(a, must(v)) != 0)
		must(NULL);
}

/* A JSON string of s in NFC; jansson strings are valid UTF-8 already, so
 * txt_nfc cannot fail on them. */
static json_t *jstr(const char *s)
{
	char *n = txt_nfc(s);
	json_t *j = must(json_string(n ? n : ""));
	free(n);
	return j;
}

/* 7 stays 7 (not 7.0) so clean files read naturally; the bound keeps the
 * cast defined. */
static json_t *jamount(double a)
{
	if (a >= -1e15 && a <= 1e15 && a == (double)(json_int_t)a)
		return json_integer((json_int_t)a);
	return json_real(a);
}

/* ---- reading input ---- */

static int valid_code(const char *s)
{
	/* "1.000253": the national register's field number, a dot and six
	 * digits; every portal entry has this shape. */
	size_t i = 0, lead;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	lead = i;
	if (lead < 1 || lead > 3 || s[i] != '.')
		return 0;
	i++;
	for (size_t k = 0; k < 6; k++, i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return s[i] == 0;
}

/* A copy of s without surrounding white space (caller frees). */
static char *trimmed(const char *s)
{
	const char *a = s, *b = s + strlen(s);
	while (a < b && strchr(" \t\r\n", *a))
		a++;
	while (b > a && strchr(" \t\r\n", b[-1]))
		b--;
	return mc_xstrndup(a, (size_t)(b - a));
}

/* The code or name at key: required, a string, not blank. OUT: *val (caller
 * frees). */
static int required_str(json_t *in, const char *key, char **val, mc_err *e)
{
	json_t *v = json_object_get(in, key);
	if (!v)
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "thiếu %s", "%s is missing", key);
	if (!json_is_string(v))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%s phải là chuỗi ký tự",
			       "%s must be a string", key);
	*val = trimmed(json_string_value(v));
	if (!(*val)[0]) {
		free(*val);
		*val = NULL;
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%s đang để trống", "%s is empty",
			       key);
	}
	return MC_OK;
}

/* At most 40 bytes of s, for a message: cut on a character boundary so the
 * message stays valid UTF-8 (jansson refuses anything else). */
static void excerpt(char *out, size_t size, const char *s)
{
	size_t n = strlen(s), i;
	if (n > 40)
		n = 40;
	if (n + 1 > size)
		n = size - 1;
	for (i = n; i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80; i--)
		;
	if (i > 0 && ((unsigned char)s[i - 1] & 0x80)) {
		unsigned char lead = (unsigned char)s[i - 1];
		size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (i - 1 + len > n)
			n = i - 1;
	}
	memcpy(out, s, n);
	out[n] = 0;
}

static int get_code(json_t *in, const char *key, char **code, mc_err *e)
{
	int rc = required_str(in, key, code, e);
	if (rc)
		return rc;
	if (!valid_code(*code)) {
		char q[48];
		excerpt(q, sizeof q, *code);
		free(*code);
		*code = NULL;
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%s '%s' không phải mã thủ tục",
			       "%s '%s' is not a procedure code", key, q);
	}
	return MC_OK;
}

/* A crawl's optional text: "" when missing or not a string. */
static const char *crawl_str(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Free text where the portal writes "Không có thông tin" (no information)
 * for nothing. Caller frees. */
static char *crawl_text(json_t *in, const char *key)
{
	char *t = trimmed(crawl_str(in, key));
	if (strcmp(t, "Không có thông tin") == 0)
		t[0] = 0;
	return t;
}

/* ---- crawl repair ---- */

/*
 * The crawler cut each page at the first occurrence of a section title, so
 * when the steps mention "(Thành phần hồ sơ)" the steps stop there and the
 * components field gets the rest of the steps. raw_text has the whole page;
 * these re-read a section from it. The crawl trimmed each field, so blanks
 * between a title and its text are skipped.
 */

static const char *skip_blanks(const char *p)
{
	while (*p && strchr(" \t\r\n", *p))
		p++;
	return p;
}

/* The first title in s that is followed by text (up to 60 bytes of it are
 * compared); returns the title's position, NULL if none. */
static const char *find_titled(const char *s, const char *title, const char *text)
{
	size_t n = strlen(text) < 60 ? strlen(text) : 60;
	for (const char *p = strstr(s, title); p; p = strstr(p + 1, title)) {
		if (strncmp(skip_blanks(p + strlen(title)), text, n) == 0)
			return p;
	}
	return NULL;
}

/* raw_text from just after title (found from start) to the end title that is
 * followed by end_text, trimmed; NULL if either is not there. */
static char *raw_between(const char *start, const char *title, const char *end_title,
			 const char *end_text)
{
	if (!start || strncmp(start, title, strlen(title)) != 0)
		return NULL;
	const char *a = start + strlen(title), *b = find_titled(a, end_title, end_text);
	if (!b)
		return NULL;
	char *all = mc_xstrndup(a, (size_t)(b - a)), *t = trimmed(all);
	free(all);
	return t;
}

static char *repaired_steps(json_t *in)
{
	const char *raw = crawl_str(in, "raw_text");
	char *steps = trimmed(crawl_str(in, "trinh_tu_thuc_hien"));
	char *fix = raw_between(strstr(raw, "Trình Tự Thực Hiện"), "Trình Tự Thực Hiện",
				"Cách Thức Thực Hiện", crawl_str(in, "cach_thuc_thuc_hien"));
	/* only a longer text that the crawl's field is the start of */
	if (fix && strlen(fix) > strlen(steps) && strncmp(fix, steps, strlen(steps)) == 0) {
		free(steps);
		return fix;
	}
	free(fix);
	return steps;
}

static char *repaired_components(json_t *in)
{
	const char *comp = crawl_str(in, "thanh_phan_ho_so");
	if (strstr(comp, "Tên giấy tờ"))
		return mc_xstrdup(comp);
	/* the channels text, whole, pins where the real components start even
	 * when the steps quote the title */
	const char *raw = crawl_str(in, "raw_text"), *cach = crawl_str(in, "cach_thuc_thuc_hien");
	const char *c = find_titled(raw, "Cách Thức Thực Hiện", cach);
	char *fix = NULL;
	if (c && cach[0]) {
		const char *after = skip_blanks(c + strlen("Cách Thức Thực Hiện"));
		if (strncmp(after, cach, strlen(cach)) == 0)
			fix = raw_between(skip_blanks(after + strlen(cach)), "Thành phần hồ sơ",
					  "Căn cứ pháp lý", crawl_str(in, "can_cu_phap_ly"));
	}
	if (fix && strstr(fix, "Tên giấy tờ"))
		return fix;
	free(fix);
	return mc_xstrdup(comp);
}

/* The agency: the last "Cơ quan thực hiện" before the requirements section
 * (the steps may use the same words). Caller frees. */
static char *repaired_agency(json_t *in)
{
	const char *raw = crawl_str(in, "raw_text"), *title = "Cơ quan thực hiện";
	const char *y = find_titled(raw, "Yêu cầu, điều kiện thực hiện", crawl_str(in, "yeu_cau_dieu_kien"));
	const char *a = NULL;
	for (const char *p = strstr(raw, title); y && p && p < y; p = strstr(p + 1, title))
		a = p;
	char *t = a ? mc_xstrndup(a + strlen(title), (size_t)(y - a - strlen(title)))
		    : mc_xstrdup(crawl_str(in, "co_quan_thuc_hien"));
	char *agency = trimmed(t);
	free(t);
	if (strcmp(agency, "Không có thông tin") == 0)
		agency[0] = 0;
	return agency;
}

/* The legal basis without the table's column titles and, where the crawl
 * ran on, without the agency section glued after it. Caller frees. */
static char *repaired_legal(json_t *in, const char *agency)
{
	static const char cols[] = "Tên văn bản pháp lýMã văn bản";
	char *legal = trimmed(crawl_str(in, "can_cu_phap_ly"));
	size_t n = strlen(legal), an = strlen(agency), tn = strlen("Cơ quan thực hiện");
	if (an && n >= tn + an && strcmp(legal + n - an, agency) == 0 &&
	    strncmp(legal + n - an - tn, "Cơ quan thực hiện", tn) == 0)
		legal[n - an - tn] = 0;
	if (strncmp(legal, cols, strlen(cols)) == 0)
		memmove(legal, legal + strlen(cols), strlen(legal) - strlen(cols) + 1);
	char *t = trimmed(legal);
	free(legal);
	if (strcmp(t, "Không có thông tin") == 0)
		t[0] = 0;
	return t;
}

/* ---- crawl -> clean ---- */

static json_t *channels_json(const catp_channels *c)
{
	json_t *a = must(json_array());
	for (size_t i = 0; i < c->n; i++) {
		const catp_channel *ch = &c->v[i];
		json_t *o = must(json_object());
		int amount = ch->time_status == CATP_TIME_OK || ch->time_status == CATP_TIME_NOUNIT;
		put(o, "channel", jstr(catp_channel_name(ch->channel)));
		put(o, "time", amount ? jamount(ch->amount) : json_null());
		put(o, "unit", ch->has_time ? jstr(unit_names[ch->unit]) : json_null());
		put(o, "inferred", json_boolean(ch->inferred));
		put(o, "time_text", jstr(ch->time_text));
		put(o, "fee", jstr(ch->fee));
		put(o, "fee_note", jstr(ch->fee_note));
		put(o, "description", jstr(ch->description));
		push(a, o);
	}
	return a;
}

static json_t *count_json(int n)
{
	return n < 0 ? json_null() : json_integer(n);
}

static json_t *components_json(const catp_components *c)
{
	json_t *a = must(json_array());
	for (size_t i = 0; i < c->n; i++) {
		const catp_component *k = &c->v[i];
		json_t *o = must(json_object());
		put(o, "group", jstr(k->group));
		put(o, "name", jstr(k->name));
		put(o, "form", jstr(k->form));
		put(o, "form_code", jstr(k->form_code));
		put(o, "quantity", jstr(k->quantity));
		put(o, "originals", count_json(k->originals));
		put(o, "copies", count_json(k->copies));
		push(a, o);
	}
	return a;
}

static json_t *result_json(const char *name, const char *code)
{
	json_t *o = must(json_object());
	put(o, "name", jstr(name));
	put(o, "code", jstr(code));
	return o;
}

/* The parts every clean object shares, in canonical order. Takes ownership
 * of the json_t arguments. */
typedef struct {
	const char *code, *name, *field, *level, *kind, *decision, *agency, *authority, *subjects;
	const char *legal_basis, *steps, *requirements, *source, *source_url, *ministry, *version;
	json_t *channels, *components, *results, *unparsed, *raw;
} clean_parts;

/* 64-bit FNV-1a: a content fingerprint for "version", not a security hash. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static json_t *build(const clean_parts *p)
{
	json_t *o = must(json_object());
	size_t nres = json_array_size(p->results);
	put(o, "format", jstr(CATALOG_FORMAT));
	put(o, "code", jstr(p->code));
	put(o, "name", jstr(p->name));
	put(o, "field", jstr(p->field));
	put(o, "level", jstr(p->level));
	put(o, "kind", jstr(p->kind));
	put(o, "decision", jstr(p->decision));
	put(o, "agency", jstr(p->agency));
	put(o, "authority", jstr(p->authority));
	put(o, "subjects", jstr(p->subjects));
	put(o, "channels", p->channels);
	put(o, "components", p->components);
	put(o, "result", nres ? json_deep_copy(json_array_get(p->results, 0)) : json_null());
	put(o, "results", p->results);
	put(o, "legal_basis", jstr(p->legal_basis));
	put(o, "steps", jstr(p->steps));
	put(o, "requirements", jstr(p->requirements));
	put(o, "source", jstr(p->source));
	put(o, "source_url", jstr(p->source_url));
	put(o, "ministry", jstr(p->ministry));
	if (p->version && p->version[0]) {
		put(o, "version", jstr(p->version));
	} else {
		/* a converted entry is versioned by its content, so a hub can
		 * publish a changed entry and a node can tell it is newer */
		char *dump = json_dumps(o, JSON_COMPACT);
		char v[32];
		snprintf(v, sizeof v, "portal-%016llx", (unsigned long long)fnv1a(dump ? dump : ""));
		free(dump);
		put(o, "version", jstr(v));
	}
	put(o, "unparsed", p->unparsed);
	put(o, "raw", p->raw);
	return o;
}

static void mark_unparsed(clean_parts *p, int group, const char *raw)
{
	push(p->unparsed, jstr(groups[group]));
	put(p->raw, groups[group], jstr(raw));
}

static int from_crawl(json_t *in, json_t **out, int *complete, mc_err *e)
{
	char *code = NULL, *name = NULL;
	int rc = get_code(in, "ma_thu_tuc", &code, e);
	if (rc)
		return rc;
	rc = required_str(in, "ten_thu_tuc", &name, e);
	if (rc) {
		free(code);
		return rc;
	}
	char *steps = repaired_steps(in), *comp_text = repaired_components(in);
	char *requirements = crawl_text(in, "yeu_cau_dieu_kien");
	char *agency = repaired_agency(in), *legal = repaired_legal(in, agency);
	const char *chan_text = crawl_str(in, "cach_thuc_thuc_hien");
	const char *res_text = crawl_str(in, "ket_qua_xu_ly");

	catp_channels ch;
	catp_components cm;
	catp_results rs;
	int ok_ch = catp_channels_parse(chan_text, &ch);
	int ok_cm = catp_components_parse(comp_text, &cm);
	int ok_rs = catp_results_parse(res_text, &rs);

	clean_parts p = {
		.code = code,
		.name = name,
		.field = crawl_str(in, "linh_vuc"),
		.level = crawl_str(in, "cap_thuc_hien"),
		.kind = crawl_str(in, "loai_thu_tuc"),
		.decision = crawl_str(in, "so_quyet_dinh"),
		.agency = agency,
		.authority = crawl_str(in, "co_quan_co_tham_quyen"),
		.subjects = crawl_str(in, "doi_tuong_thuc_hien"),
		.legal_basis = legal,
		.steps = steps,
		.requirements = requirements,
		.source = "national-portal",
		.source_url = crawl_str(in, "detail_url"),
		.ministry = crawl_str(in, "_ministry"),
		.version = NULL,
		.channels = channels_json(&ch),
		.components = components_json(&cm),
		.results = must(json_array()),
		.unparsed = must(json_array()),
		.raw = must(json_object()),
	};
	for (size_t i = 0; i < rs.n; i++)
		push(p.results, result_json(rs.v[i].name, rs.v[i].code));
	if (!ok_ch)
		mark_unparsed(&p, 0, chan_text);
	if (!ok_cm)
		mark_unparsed(&p, 1, comp_text);
	if (!ok_rs)
		mark_unparsed(&p, 2, res_text);
	*complete = ok_ch && ok_cm && ok_rs;
	*out = build(&p);

	catp_channels_release(&ch);
	catp_components_release(&cm);
	catp_results_release(&rs);
	free(code);
	free(name);
	free(steps);
	free(comp_text);
	free(requirements);
	free(agency);
	free(legal);
	return MC_OK;
}

/* ---- clean -> clean ---- */

/* An optional string member: "" when missing. OUT: *val (borrowed). */
static int opt_str(json_t *o, const char *key, const char *where, const char **val, mc_err *e)
{
	json_t *v = json_object_get(o, key);
	*val = "";
	if (!v)
		return MC_OK;
	if (!json_is_string(v))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%s%s phải là chuỗi ký tự",
			       "%s%s must be a string", where, key);
	*val = json_string_value(v);
	return MC_OK;
}

static int opt_array(json_t *o, const char *key, json_t **arr, mc_err *e)
{
	json_t *v = json_object_get(o, key);
	*arr = v;
	if (v && !json_is_array(v))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%s phải là một mảng",
			       "%s must be an array", key);
	return MC_OK;
}

/* Copies the string members keys of src into dst, checked. */
static int copy_strs(json_t *src, json_t *dst, const char *const *keys, size_t n, const char *where,
		     mc_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *s;
		int rc = opt_str(src, keys[i], where, &s, e);
		if (rc)
			return rc;
		put(dst, keys[i], jstr(s));
	}
	return MC_OK;
}

static int clean_channel(json_t *c, size_t i, json_t *arr, mc_err *e)
{
	static const char *const strs[] = { "time_text", "fee", "fee_note", "description" };
	char where[64];
	snprintf(where, sizeof where, "channels[%zu].", i);
	if (!json_is_object(c))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "channels[%zu] phải là một đối tượng",
			       "channels[%zu] must be an object", i);
	json_t *ch = json_object_get(c, "channel"), *t = json_object_get(c, "time");
	json_t *u = json_object_get(c, "unit"), *inf = json_object_get(c, "inferred");
	if (!json_is_string(ch) || catp_channel_parse(json_string_value(ch)) < 0)
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE,
			       "%schannel phải là direct, online hoặc postal",
			       "%schannel must be direct, online or postal", where);
	if (t && !json_is_null(t) && (!json_is_number(t) || json_number_value(t) < 0))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%stime phải là số >= 0 hoặc null",
			       "%stime must be a number >= 0 or null", where);
	if (u && !json_is_null(u) && (!json_is_string(u) || unit_parse(json_string_value(u)) < 0))
		return mc_fail(
			e, MCE_CATALOG_BAD_PROCEDURE,
			"%sunit phải là working_days, working_hours, calendar_days, same_day "
			"hoặc null",
			"%sunit must be working_days, working_hours, calendar_days, same_day or "
			"null",
			where);
	if (u && !json_is_null(u) && (!t || json_is_null(t)))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%sunit cần có time đi kèm",
			       "%sunit needs a time", where);
	if (inf && !json_is_boolean(inf))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%sinferred phải là true hoặc false",
			       "%sinferred must be true or false", where);
	json_t *o = must(json_object());
	put(o, "channel", json_incref(ch));
	put(o, "time", t && !json_is_null(t) ? jamount(json_number_value(t)) : json_null());
	put(o, "unit", u && !json_is_null(u) ? json_incref(u) : json_null());
	put(o, "inferred", json_boolean(inf && json_is_true(inf)));
	int rc = copy_strs(c, o, strs, MC_ARRAY_LEN(strs), where, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	push(arr, o);
	return MC_OK;
}

static int clean_count(json_t *c, const char *key, const char *where, json_t *o, mc_err *e)
{
	json_t *v = json_object_get(c, key);
	if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 0))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE,
			       "%s%s phải là số nguyên >= 0 hoặc null",
			       "%s%s must be an integer >= 0 or null", where, key);
	put(o, key, v && !json_is_null(v) ? json_integer(json_integer_value(v)) : json_null());
	return MC_OK;
}

static int clean_component(json_t *c, size_t i, json_t *arr, mc_err *e)
{
	static const char *const strs[] = { "group", "name", "form", "form_code", "quantity" };
	char where[64];
	int rc;
	snprintf(where, sizeof where, "components[%zu].", i);
	if (!json_is_object(c))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE,
			       "components[%zu] phải là một đối tượng",
			       "components[%zu] must be an object", i);
	json_t *o = must(json_object());
	rc = copy_strs(c, o, strs, MC_ARRAY_LEN(strs), where, e);
	if (!rc)
		rc = clean_count(c, "originals", where, o, e);
	if (!rc)
		rc = clean_count(c, "copies", where, o, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	push(arr, o);
	return MC_OK;
}

static int clean_result(json_t *r, const char *where, json_t *arr, mc_err *e)
{
	static const char *const strs[] = { "name", "code" };
	if (!json_is_object(r))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "%s phải là một đối tượng",
			       "%s must be an object", where);
	char w[80];
	snprintf(w, sizeof w, "%s.", where);
	json_t *o = must(json_object());
	int rc = copy_strs(r, o, strs, MC_ARRAY_LEN(strs), w, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	push(arr, o);
	return MC_OK;
}

static int group_index(const char *s)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(groups); i++) {
		if (strcmp(s, groups[i]) == 0)
			return (int)i;
	}
	return -1;
}

static int clean_unparsed(json_t *in, clean_parts *p, mc_err *e)
{
	json_t *u, *raw = json_object_get(in, "raw");
	int rc = opt_array(in, "unparsed", &u, e);
	if (rc)
		return rc;
	for (size_t i = 0; i < json_array_size(u); i++) {
		json_t *s = json_array_get(u, i);
		if (!json_is_string(s) || group_index(json_string_value(s)) < 0)
			return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE,
				       "unparsed[%zu] phải là channels, components hoặc result",
				       "unparsed[%zu] must be channels, components or result", i);
		push(p->unparsed, jstr(json_string_value(s)));
	}
	if (raw && !json_is_object(raw))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "raw phải là một đối tượng",
			       "raw must be an object");
	const char *key;
	json_t *v;
	json_object_foreach(raw, key, v) {
		if (group_index(key) < 0)
			return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE,
				       "raw.%s không phải channels, components hay result",
				       "raw.%s is not channels, components or result", key);
		if (!json_is_string(v))
			return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "raw.%s phải là chuỗi ký tự",
				       "raw.%s must be a string", key);
		put(p->raw, key, jstr(json_string_value(v)));
	}
	return MC_OK;
}

static int clean_lists(json_t *in, clean_parts *p, mc_err *e)
{
	json_t *a, *r;
	int rc = opt_array(in, "channels", &a, e);
	for (size_t i = 0; !rc && i < json_array_size(a); i++)
		rc = clean_channel(json_array_get(a, i), i, p->channels, e);
	if (!rc)
		rc = opt_array(in, "components", &a, e);
	for (size_t i = 0; !rc && i < json_array_size(a); i++)
		rc = clean_component(json_array_get(a, i), i, p->components, e);
	if (!rc)
		rc = opt_array(in, "results", &a, e);
	for (size_t i = 0; !rc && i < json_array_size(a); i++) {
		char where[64];
		snprintf(where, sizeof where, "results[%zu]", i);
		rc = clean_result(json_array_get(a, i), where, p->results, e);
	}
	/* "result" repeats results[0]; an object with only "result" still
	 * reads */
	r = json_object_get(in, "result");
	if (!rc && !a && r && !json_is_null(r))
		rc = clean_result(r, "result", p->results, e);
	if (!rc)
		rc = clean_unparsed(in, p, e);
	return rc;
}

static int from_clean(json_t *in, json_t **out, int *complete, mc_err *e)
{
	static const char *const keys[] = {
		"field",  "level",     "kind",       "decision", "agency",  "authority",
		"subjects", "legal_basis", "steps", "requirements", "source", "source_url",
		"ministry", "version",
	};
	const char *vals[MC_ARRAY_LEN(keys)];
	char *code = NULL, *name = NULL;
	json_t *fmt = json_object_get(in, "format");
	if (fmt && (!json_is_string(fmt) || strcmp(json_string_value(fmt), CATALOG_FORMAT) != 0))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE,
			       "format phải là \"" CATALOG_FORMAT "\"",
			       "format must be \"" CATALOG_FORMAT "\"");
	int rc = get_code(in, "code", &code, e);
	if (!rc)
		rc = required_str(in, "name", &name, e);
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(keys); i++)
		rc = opt_str(in, keys[i], "", &vals[i], e);
	if (rc) {
		free(code);
		free(name);
		return rc;
	}
	clean_parts p = {
		.code = code,
		.name = name,
		.field = vals[0],
		.level = vals[1],
		.kind = vals[2],
		.decision = vals[3],
		.agency = vals[4],
		.authority = vals[5],
		.subjects = vals[6],
		.legal_basis = vals[7],
		.steps = vals[8],
		.requirements = vals[9],
		.source = vals[10],
		.source_url = vals[11],
		.ministry = vals[12],
		.version = vals[13],
		.channels = must(json_array()),
		.components = must(json_array()),
		.results = must(json_array()),
		.unparsed = must(json_array()),
		.raw = must(json_object()),
	};
	rc = clean_lists(in, &p, e);
	if (rc) {
		json_decref(p.channels);
		json_decref(p.components);
		json_decref(p.results);
		json_decref(p.unparsed);
		json_decref(p.raw);
	} else {
		*complete = json_array_size(p.unparsed) == 0;
		*out = build(&p);
	}
	free(code);
	free(name);
	return rc;
}

void catalog_strip_invisible(json_t *j)
{
	const char *k;
	size_t i;
	json_t *v;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			catalog_strip_invisible(v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			catalog_strip_invisible(v);
	} else if (json_is_string(j) && txt_has_format_char(json_string_value(j), NULL)) {
		char *c = mc_xstrdup(json_string_value(j));
		(void)txt_strip_format_chars(c);
		json_string_set(j, c);
		free(c);
	}
}

int catalog_normalize(json_t *in, json_t **out, int *complete, mc_err *e)
{
	*out = NULL;
	*complete = 0;
	if (!json_is_object(in))
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "thủ tục phải là một đối tượng JSON",
			       "procedure must be a JSON object");
	if (json_object_get(in, "ma_thu_tuc"))
		return from_crawl(in, out, complete, e);
	if (json_object_get(in, "code"))
		return from_clean(in, out, complete, e);
	return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "thiếu code", "code is missing");
}

/* The time of entry c if it has one. OUT: *amount, *unit. */
static int entry_time(json_t *c, double *amount, int *unit)
{
	json_t *t = json_object_get(c, "time"), *u = json_object_get(c, "unit");
	if (!json_is_number(t) || !json_is_string(u))
		return 0;
	int k = unit_parse(json_string_value(u));
	if (k < 0)
		return 0;
	*amount = json_number_value(t);
	*unit = k;
	return 1;
}

int catalog_channel_time(json_t *clean, const char *channel, double *amount, int *unit, mc_err *e)
{
	if (catp_channel_parse(channel) < 0) {
		char q[48];
		excerpt(q, sizeof q, channel);
		return mc_fail(e, MCE_INVALID, "kênh '%s' không phải direct, online hay postal",
			       "channel '%s' is not direct, online or postal", q);
	}
	json_t *chs = json_object_get(clean, "channels");
	const char *want[] = { channel, "direct", NULL };
	for (size_t pass = 0; pass < MC_ARRAY_LEN(want); pass++) {
		for (size_t i = 0; i < json_array_size(chs); i++) {
			json_t *c = json_array_get(chs, i);
			const char *name = json_string_value(json_object_get(c, "channel"));
			if (want[pass] && (!name || strcmp(name, want[pass]) != 0))
				continue;
			if (entry_time(c, amount, unit))
				return MC_OK;
		}
	}
	const char *code = json_string_value(json_object_get(clean, "code"));
	return mc_fail(e, MCE_NOT_FOUND, "thủ tục '%s' chưa có thời hạn giải quyết",
		       "procedure '%s' has no processing time", code ? code : "");
}
