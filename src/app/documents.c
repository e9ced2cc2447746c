/*
 * documents.c - the official document registers (documents.h;
 * docs/documents.md). An entry is kept as one JSON record, the same the
 * events carry: the request is laid over it field by field (each checked,
 * each change noted), the record is written to its row and logged in one
 * transaction, and what an officer sees is the record with its labels,
 * the excerpt withheld where the law on state secrets asks it.
 */
#include "app/documents.h"

#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/attach.h"
#include "app/units.h"
#include "core/txt.h"
#include "core/vb.h"
#include "doc/book.h"
#include "doc/table.h"
#include "store/ev.h"
#include "store/st_docs.h"
#include "store/st_units.h"
#include "util/sb.h"

/* The issuer's abbreviation when a request names none: the commune's
 * People's Committee (LAW: Decree 30/2020/NĐ-CP Appendix I: "UBND"). */
#define ISSUER_DEFAULT "UBND"
#define TEXT_MAX 2000    /* an excerpt, a note */
#define NAME_MAX 500     /* an issuing body, a signer, one recipient */
#define SYMBOL_MAX 100   /* số, ký hiệu as printed */
#define RECIPIENTS_MAX 100
#define COPIES_MAX 10000

/* ---- small helpers ---- */

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A refusal naming field: document.bad_field "field: what". */
static int bad(mc_err *e, const char *field, const char *vi, const char *en)
{
	if (!e)
		return MC_EINVAL;
	mc_fail(e, MCE_DOCUMENT_BAD_FIELD, "%s", "%s", vi);
	snprintf(e->msg, sizeof e->msg, "%s", en);
	return mc_prefix(e, "%s", "%s", field);
}

static int is_in(const char *book)
{
	return strcmp(book, "in") == 0;
}

static int book_check(const char *book, mc_err *e)
{
	if (book && (strcmp(book, "in") == 0 || strcmp(book, "out") == 0))
		return MC_OK;
	return mc_fail(e, MCE_NOT_FOUND, "không có sổ '%.20s' (in: văn bản đến, out: văn bản đi)",
		       "no register '%.20s' (in: incoming, out: outgoing)", book ? book : "");
}

/* "2026-03-02T08:15:00+07:00" (as records keep times) to an instant; 0 for
 * null or unreadable. */
static mc_time time_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		return 0;
	char buf[32];
	snprintf(buf, sizeof buf, "%s", s);
	size_t n = strlen(buf);
	if (n > 6 && strcmp(buf + n - 6, "+07:00") == 0)
		buf[n - 6] = 0;
	mc_time t;
	mc_err ignore;
	return cal_parse_datetime(buf, &t, &ignore) ? 0 : t;
}

static int year_of_day(const char *day)
{
	return (int)strtol(day, NULL, 10); /* "YYYY-MM-DD", checked before */
}

/* jansson's object iteration takes a non-const object; it only reads. */
static json_t *mut(const json_t *j)
{
	union {
		const json_t *c;
		json_t *m;
	} u = { .c = j };
	return u.m;
}

static void day_of(mc_time t, char out[11])
{
	cal_format_date(cal_local_day(t), out);
}

/* Writers of a register: reception (the clerk's desk: there is no clerk
 * role), leaders and admins. */
static int may_write(const app_actor *by)
{
	return by->role == ROLE_RECEPTION || by->role == ROLE_LEADER || by->role == ROLE_ADMIN;
}

/* The officer rec is assigned to: its login; with none, any officer of
 * its unit. */
static int is_assignee(const app_actor *by, const json_t *rec)
{
	const char *who = js(rec, "assignee"), *unit = js(rec, "unit");
	if (who[0])
		return strcmp(who, by->login) == 0;
	return is_in(js(rec, "book")) && unit[0] && strcmp(unit, by->unit) == 0;
}

/* LAW: Decree 30/2020/NĐ-CP Art. 9 and the law on state secrets: a
 * confidential document is read only by those its handling is entrusted
 * to. Here: leaders, admins and the assignee. */
static int may_read_secret(const app_actor *by, const json_t *rec)
{
	return by->role == ROLE_LEADER || by->role == ROLE_ADMIN ||
	       (is_in(js(rec, "book")) && is_assignee(by, rec));
}

/* ---- the record from a row, a row from the record ---- */

static json_t *json_text(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	return j ? j : json_array();
}

static int rec_of_row(void *ctx, const st_doc *d)
{
	json_t **out = ctx;
	json_t *r = json_pack("{s:s, s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, "
			      "s:s, s:o, s:o}",
			      "agency", d->agency, "book", d->book, "id", d->id, "year", d->year,
			      "number", (json_int_t)d->no, "type", d->type, "symbol", d->symbol,
			      "doc_date", d->doc_date, "excerpt", d->excerpt, "urgency", d->urgency,
			      "secrecy", d->secrecy, "attachments", json_text(d->attachments), "note",
			      d->note, "registered_by", d->registered_by, "registered_at",
			      app_json_time(d->registered_at), "updated_at",
			      app_json_time(d->updated_at));
	if (is_in(d->book)) {
		json_object_set_new(r, "received_at", app_json_time(d->received_at));
		json_object_set_new(r, "issuer", json_string(d->issuer));
		json_object_set_new(r, "assignee", json_string(d->assignee));
		json_object_set_new(r, "unit", json_string(d->unit));
		json_object_set_new(r, "due_at", app_json_time(d->due_at));
		json_object_set_new(r, "state", json_string(d->state));
		json_object_set_new(r, "done_at", app_json_time(d->done_at));
		json_object_set_new(r, "done_by", json_string(d->done_by));
	} else {
		json_object_set_new(r, "unit", json_string(d->unit));
		json_object_set_new(r, "issuer_abbr", json_string(d->issuer_abbr));
		json_object_set_new(r, "signer", json_pack("{s:s, s:s}", "name", d->signer_name,
							   "title", d->signer_title));
		json_object_set_new(r, "recipients", json_text(d->recipients));
		json_object_set_new(r, "copies", json_integer(d->copies));
	}
	json_object_set_new(r, "last_seq", json_integer(d->last_seq));
	*out = r;
	return 0;
}

/* Appends the folded text to b. */
static void fold_add(sb *b, const char *s)
{
	char *f = txt_fold(s ? s : "");
	if (f && *f) {
		if (b->len)
			sb_addc(b, ' ');
		sb_add(b, f);
	}
	free(f);
}

/* The search keys of rec: what anyone may match (pub), and the excerpt
 * with the note (text). OUT: *pub, *text (caller frees). */
static void folds(const json_t *rec, char **pub, char **text)
{
	sb p, t;
	sb_init(&p, 1u << 20);
	sb_init(&t, 1u << 20);
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)json_integer_value(json_object_get(rec, "number")));
	sb_add(&p, num);
	fold_add(&p, js(rec, "symbol"));
	const vb_type *vt = vb_type_find(js(rec, "type"));
	fold_add(&p, vt ? vt->name : "");
	fold_add(&p, js(rec, "issuer"));
	fold_add(&p, json_string_value(json_object_get(json_object_get(rec, "signer"), "name")));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(rec, "recipients"), i, v)
		fold_add(&p, json_string_value(v));
	fold_add(&t, js(rec, "excerpt"));
	fold_add(&t, js(rec, "note"));
	*pub = mc_xstrdup(sb_err(&p) ? "" : sb_str(&p));
	*text = mc_xstrdup(sb_err(&t) ? "" : sb_str(&t));
	sb_release(&p);
	sb_release(&t);
}

/* The row of rec (its strings point into rec, into day and into *keep,
 * which the caller frees after writing). */
static void row_of_rec(const json_t *rec, st_doc *d, char day[11], char **keep)
{
	memset(d, 0, sizeof *d);
	d->agency = js(rec, "agency");
	d->book = js(rec, "book");
	d->year = (int)json_integer_value(json_object_get(rec, "year"));
	d->no = json_integer_value(json_object_get(rec, "number"));
	d->series = is_in(d->book) ? "" : js(rec, "type");
	d->id = js(rec, "id");
	d->type = js(rec, "type");
	d->symbol = js(rec, "symbol");
	d->doc_date = js(rec, "doc_date");
	d->excerpt = js(rec, "excerpt");
	d->urgency = js(rec, "urgency");
	d->secrecy = js(rec, "secrecy");
	d->note = js(rec, "note");
	keep[0] = json_dumps(json_object_get(rec, "attachments"), JSON_COMPACT);
	d->attachments = keep[0] ? keep[0] : "[]";
	d->received_at = time_of(rec, "received_at");
	d->issuer = js(rec, "issuer");
	d->assignee = js(rec, "assignee");
	d->unit = js(rec, "unit");
	d->due_at = time_of(rec, "due_at");
	d->state = js(rec, "state");
	d->done_at = time_of(rec, "done_at");
	d->done_by = js(rec, "done_by");
	d->issuer_abbr = js(rec, "issuer_abbr");
	const json_t *sg = json_object_get(rec, "signer");
	d->signer_name = js(sg, "name");
	d->signer_title = js(sg, "title");
	const json_t *rcp = json_object_get(rec, "recipients");
	keep[1] = rcp ? json_dumps(rcp, JSON_COMPACT) : NULL;
	d->recipients = keep[1] ? keep[1] : "[]";
	d->copies = (int)json_integer_value(json_object_get(rec, "copies"));
	d->registered_by = js(rec, "registered_by");
	d->registered_at = time_of(rec, "registered_at");
	d->updated_at = time_of(rec, "updated_at");
	d->last_seq = json_integer_value(json_object_get(rec, "last_seq"));
	/* The register's date: received (in), the document's (out). */
	if (is_in(d->book))
		day_of(d->received_at, day);
	else
		snprintf(day, 11, "%s", d->doc_date);
	d->day = day;
	folds(rec, &keep[2], &keep[3]);
	d->fold_pub = keep[2];
	d->fold_text = keep[3];
}

static void keep_free(char **keep)
{
	for (int i = 0; i < 4; i++)
		free(keep[i]);
}

/* ---- what an officer sees ---- */

static void name_of_user(app *a, const char *login, char *out, size_t size)
{
	st_user u;
	mc_err ignore;
	if (login[0] && st_user_get(a->st, login, &u, &ignore) == MC_OK)
		snprintf(out, size, "%s", u.name);
	else
		snprintf(out, size, "%s", login);
}

static void name_of_unit(app *a, const char *code, char *out, size_t size)
{
	st_unit u;
	mc_err ignore;
	if (code[0] && st_unit_get(a->st, code, &u, &ignore) == MC_OK)
		snprintf(out, size, "%s", u.name);
	else
		snprintf(out, size, "%s", code);
}

static const char *state_label(const char *s)
{
	return strcmp(s, "done") == 0	   ? "Đã xử lý xong"
	       : strcmp(s, "assigned") == 0 ? "Đã giao xử lý"
	       : strcmp(s, "new") == 0	   ? "Chưa giao"
					   : "";
}

/* rec as by sees it at now: labels, names, overdue; a confidential
 * excerpt and its attachments withheld from whoever may not read them. */
static json_t *view(app *a, const app_actor *by, const json_t *rec, mc_time now)
{
	json_t *v = json_deep_copy(rec);
	json_object_del(v, "last_seq");
	json_object_del(v, "unit_abbr");
	const vb_type *t = vb_type_find(js(rec, "type"));
	json_object_set_new(v, "type_name", json_string(t ? t->name : js(rec, "type")));
	json_object_set_new(v, "type_abbr", json_string(t ? t->abbr : ""));
	const char *ul = vb_urgency_label(js(rec, "urgency")), *sl = vb_secrecy_label(js(rec, "secrecy"));
	json_object_set_new(v, "urgency_label", json_string(ul ? ul : ""));
	json_object_set_new(v, "secrecy_label", json_string(sl ? sl : ""));
	char name[256];
	name_of_unit(a, js(rec, "unit"), name, sizeof name);
	json_object_set_new(v, "unit_name", json_string(name));
	if (is_in(js(rec, "book"))) {
		name_of_user(a, js(rec, "assignee"), name, sizeof name);
		json_object_set_new(v, "assignee_name", json_string(name));
		json_object_set_new(v, "state_label", json_string(state_label(js(rec, "state"))));
		mc_time due = time_of(rec, "due_at");
		json_object_set_new(v, "overdue",
				    json_boolean(due && due < now && strcmp(js(rec, "state"), "done") != 0));
		name_of_user(a, js(rec, "done_by"), name, sizeof name);
		json_object_set_new(v, "done_by_name", json_string(name));
	}
	name_of_user(a, js(rec, "registered_by"), name, sizeof name);
	json_object_set_new(v, "registered_by_name", json_string(name));
	int withheld = vb_secret(js(rec, "secrecy")) && !may_read_secret(by, rec);
	json_object_set_new(v, "withheld", json_boolean(withheld));
	if (withheld) {
		json_object_set_new(v, "excerpt", json_null());
		json_object_set_new(v, "note", json_null());
		json_object_set_new(v, "attachments", json_array());
	}
	return v;
}

/* ---- reading a request's fields into the record ---- */

typedef struct {
	app *a;
	const app_actor *by;
	mc_time now;
	const json_t *in;
	json_t *rec;
	json_t *changed; /* names of the fields the request changed */
	int creating;
} req_ctx;

/* Sets rec[key] = v (taken), noting the change. */
static void put(req_ctx *c, const char *key, json_t *v)
{
	json_t *old = json_object_get(c->rec, key);
	if (!old || !json_equal(old, v))
		json_array_append_new(c->changed, json_string(key));
	json_object_set_new(c->rec, key, v);
}

/* A text field of the request: absent (*out NULL, unless required), a
 * string checked by txt_check_field and NFC-normalized (caller frees). */
static int text_arg(req_ctx *c, const char *key, size_t max, int required, int multiline,
		    char **out, mc_err *e)
{
	*out = NULL;
	const json_t *v = json_object_get(c->in, key);
	if (!v || json_is_null(v)) {
		if (required)
			return bad(e, key, "bắt buộc phải nhập", "is required");
		return MC_OK;
	}
	if (!json_is_string(v))
		return bad(e, key, "phải là chuỗi ký tự", "must be a string");
	const char *s = json_string_value(v);
	int rc = txt_check_field(key, s, max, required, multiline, e);
	if (rc)
		return rc;
	char *n = txt_nfc(s);
	if (!n)
		return bad(e, key, "không phải UTF-8 hợp lệ", "is not valid UTF-8");
	/* Outer white space is not part of a register's text. */
	size_t len = strlen(n), b = 0;
	while (b < len && (n[b] == ' ' || n[b] == '\t' || n[b] == '\n' || n[b] == '\r'))
		b++;
	while (len > b && (n[len - 1] == ' ' || n[len - 1] == '\t' || n[len - 1] == '\n' ||
			   n[len - 1] == '\r'))
		len--;
	memmove(n, n + b, len - b);
	n[len - b] = 0;
	if (required && !*n) {
		free(n);
		return bad(e, key, "bắt buộc phải nhập", "is required");
	}
	*out = n;
	return MC_OK;
}

/* A text field laid over the record (when the request has it). */
static int set_text(req_ctx *c, const char *key, size_t max, int required, int multiline,
		    mc_err *e)
{
	if (!c->creating && !json_object_get(c->in, key))
		return MC_OK;
	char *s;
	int rc = text_arg(c, key, max, required, multiline, &s, e);
	/* Here when creating or when the request has the field. */
	if (!rc)
		put(c, key, json_string(s ? s : ""));
	free(s);
	return rc;
}

/* One of codes (a mark), default dflt when creating. */
static int set_code(req_ctx *c, const char *key, const char *const *codes, const char *dflt,
		    mc_err *e)
{
	const json_t *v = json_object_get(c->in, key);
	if (!v || json_is_null(v)) {
		if (c->creating)
			put(c, key, json_string(dflt));
		return MC_OK;
	}
	const char *s = json_string_value(v);
	for (size_t i = 0; s && codes[i]; i++)
		if (strcmp(codes[i], s) == 0) {
			put(c, key, json_string(s));
			return MC_OK;
		}
	char list[160] = "";
	for (size_t i = 0; codes[i]; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
			 codes[i]);
	char vi[256], en[256];
	snprintf(vi, sizeof vi, "phải là một trong %s", list);
	snprintf(en, sizeof en, "must be one of %s", list);
	return bad(e, key, vi, en);
}

static int set_type(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "type");
	if (!v || json_is_null(v))
		return c->creating ? bad(e, "type", "bắt buộc phải chọn loại văn bản",
					 "is required")
				   : MC_OK;
	if (!vb_type_find(json_string_value(v)))
		return bad(e, "type", "không phải loại văn bản của Phụ lục III Nghị định 30/2020/NĐ-CP",
			   "is not a document type of Decree 30/2020 Appendix III");
	put(c, "type", json_string(json_string_value(v)));
	return MC_OK;
}

/* A date "YYYY-MM-DD" no later than today. OUT: *day (0 when absent). */
static int date_arg(req_ctx *c, const char *key, int32_t *day, mc_err *e)
{
	*day = 0;
	const json_t *v = json_object_get(c->in, key);
	if (!v || json_is_null(v))
		return MC_OK;
	mc_err pe;
	if (!json_is_string(v) || cal_parse_date(json_string_value(v), day, &pe))
		return bad(e, key, "phải là một ngày có thật, dạng YYYY-MM-DD",
			   "must be a real date, YYYY-MM-DD");
	if (*day > cal_local_day(c->now))
		return bad(e, key, "không được sau ngày hôm nay", "must not be later than today");
	return MC_OK;
}

static int set_attachments(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "attachments");
	if (!v || json_is_null(v)) {
		if (c->creating)
			put(c, "attachments", json_array());
		return MC_OK;
	}
	json_t *list;
	int rc = app_attach_resolve(c->a, v, &list, e);
	if (rc) {
		/* attachment.unknown keeps its code; a malformed list is ours. */
		if (e && e->id == MCE_BAD_FIELD)
			e->id = MCE_DOCUMENT_BAD_FIELD;
		return rc;
	}
	put(c, "attachments", list);
	return MC_OK;
}

/* An integer field from lo to hi. OUT: *n, *given. */
static int int_arg(req_ctx *c, const char *key, int64_t lo, int64_t hi, int64_t *n, int *given,
		   mc_err *e)
{
	*given = 0;
	const json_t *v = json_object_get(c->in, key);
	if (!v || json_is_null(v))
		return MC_OK;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
		char vi[128], en[128];
		snprintf(vi, sizeof vi, "phải là số nguyên từ %lld đến %lld", (long long)lo,
			 (long long)hi);
		snprintf(en, sizeof en, "must be a whole number from %lld to %lld", (long long)lo,
			 (long long)hi);
		return bad(e, key, vi, en);
	}
	*n = json_integer_value(v);
	*given = 1;
	return MC_OK;
}

/* ---- the incoming register's fields ---- */

/* received_at: a date ("YYYY-MM-DD": its first moment) or a time, not
 * later than now. */
static int set_received(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "received_at");
	mc_time t = c->now;
	if (v && !json_is_null(v)) {
		const char *s = json_string_value(v);
		char buf[32];
		int32_t day;
		mc_err pe;
		if (!s || strlen(s) > 25)
			return bad(e, "received_at", "phải là ngày (YYYY-MM-DD) hoặc ngày giờ",
				   "must be a date (YYYY-MM-DD) or a time");
		snprintf(buf, sizeof buf, "%s", s);
		size_t n = strlen(buf);
		if (n > 6 && strcmp(buf + n - 6, "+07:00") == 0)
			buf[n - 6] = 0;
		if (strlen(buf) == 10 && cal_parse_date(buf, &day, &pe) == MC_OK)
			t = cal_time_of(day, 0);
		else if (cal_parse_datetime(buf, &t, &pe))
			return bad(e, "received_at",
				   "phải là ngày (YYYY-MM-DD) hoặc ngày giờ (YYYY-MM-DDTHH:MM)",
				   "must be a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)");
		if (t > c->now)
			return bad(e, "received_at", "không được sau thời điểm hiện tại",
				   "must not be later than now");
	} else if (!c->creating) {
		return MC_OK;
	}
	/* LAW: Decree 30/2020/NĐ-CP Art. 22: the arrival number runs through
	 * one year; the book is the year the document arrived. */
	char day[11];
	day_of(t, day);
	int year = year_of_day(day);
	if (!c->creating && year != json_integer_value(json_object_get(c->rec, "year")))
		return bad(e, "received_at",
			   "ngày đến thuộc năm khác: số đến đổi theo năm, hãy đăng ký lại văn bản",
			   "falls in another year: the arrival number is per year, register it again");
	put(c, "received_at", app_json_time(t));
	if (c->creating)
		json_object_set_new(c->rec, "year", json_integer(year));
	return MC_OK;
}

static int set_doc_date(req_ctx *c, int required, mc_err *e)
{
	int32_t day;
	int rc = date_arg(c, "doc_date", &day, e);
	if (rc)
		return rc;
	if (!day) {
		if (required && c->creating)
			return bad(e, "doc_date", "bắt buộc phải nhập ngày của văn bản",
				   "is required");
		if (c->creating) /* an outgoing document: dated today */
			day = cal_local_day(c->now);
		else
			return MC_OK;
	}
	char s[11];
	cal_format_date(day, s);
	put(c, "doc_date", json_string(s));
	return MC_OK;
}

/* assignee and unit: an active officer of this node, an active unit. */
static int set_assignment(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "assignee");
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(e, "assignee", "phải là tên đăng nhập của cán bộ", "must be a login");
	if (v) {
		const char *login = json_is_string(v) ? json_string_value(v) : "";
		if (*login) {
			st_user u;
			mc_err ignore;
			int rc = st_user_get(c->a->st, login, &u, &ignore);
			if (rc == MC_ENOTFOUND || (!rc && u.disabled) ||
			    (!rc && u.role == ROLE_SUPERVISOR))
				return mc_fail(e, MCE_DOCUMENT_UNKNOWN_OFFICER,
					       "assignee: không có cán bộ '%.64s' đang làm việc để giao văn bản",
					       "assignee: no active officer '%.64s' to assign the document to",
					       login);
			if (rc) {
				if (e)
					*e = ignore;
				return rc;
			}
		}
		put(c, "assignee", json_string(login));
	} else if (c->creating) {
		put(c, "assignee", json_string(""));
	}
	v = json_object_get(c->in, "unit");
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(e, "unit", "phải là mã đơn vị", "must be a unit code");
	if (v) {
		const char *code = json_is_string(v) ? json_string_value(v) : "";
		if (*code) {
			app_unit u;
			int rc = app_unit_get(c->a, code, &u, e);
			if (rc)
				return mc_prefix(e, "unit", "unit");
		}
		put(c, "unit", json_string(code));
	} else if (c->creating) {
		put(c, "unit", json_string(""));
	}
	return MC_OK;
}

/* due_date (the close of that working day) or due_in {"time","unit"} (a
 * working-time span from now, with the node's calendar); null clears. A
 * new deadline must come after the assignment (now) and the arrival. */
static int set_due(req_ctx *c, mc_err *e)
{
	const json_t *dd = json_object_get(c->in, "due_date"), *di = json_object_get(c->in, "due_in");
	if (dd && di)
		return bad(e, "due_date", "gửi due_date hoặc due_in, không gửi cả hai",
			   "send due_date or due_in, not both");
	mc_time due = 0;
	if (dd && !json_is_null(dd)) {
		int32_t day;
		mc_err pe;
		if (!json_is_string(dd) || cal_parse_date(json_string_value(dd), &day, &pe))
			return bad(e, "due_date", "phải là một ngày có thật, dạng YYYY-MM-DD",
				   "must be a real date, YYYY-MM-DD");
		const dl_hours *h = &c->a->hours;
		due = cal_time_of(day, h->n ? h->end[h->n - 1] : 17 * 3600);
	} else if (di && !json_is_null(di)) {
		const json_t *tm = json_object_get(di, "time"), *un = json_object_get(di, "unit");
		int u = json_is_string(un) ? dl_unit_parse(json_string_value(un)) : -1;
		if (!json_is_object(di) || json_object_size(di) != 2 || !json_is_number(tm) || u < 0)
			return bad(e, "due_in",
				   "phải là {\"time\": số, \"unit\": working_days|working_hours|calendar_days|same_day}",
				   "must be {\"time\": n, \"unit\": working_days|working_hours|calendar_days|same_day}");
		int rc = dl_due(&c->a->sched, &c->a->hours, c->now, json_number_value(tm), u, &due, e);
		if (rc)
			return mc_prefix(e, "due_in", "due_in");
	} else if (!dd && !di) {
		if (c->creating)
			put(c, "due_at", json_null());
		return MC_OK;
	}
	if (due) {
		mc_time recv = time_of(c->rec, "received_at");
		if (due <= c->now || due <= recv)
			return mc_fail(e, MCE_DOCUMENT_DUE_TOO_EARLY,
				       "hạn xử lý phải sau thời điểm giao việc và sau ngày đến của văn bản",
				       "the deadline must come after the assignment (now) and the date received");
	}
	put(c, "due_at", app_json_time(due));
	return MC_OK;
}

/* The processing state: done (kept, or as the request says), else
 * assigned when someone or some unit holds it, else new. */
static int set_state(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "done");
	if (v && !json_is_boolean(v))
		return bad(e, "done", "phải là true hoặc false", "must be true or false");
	int done = strcmp(js(c->rec, "state"), "done") == 0;
	if (v && json_is_true(v) && !done) {
		put(c, "done_at", app_json_time(c->now));
		put(c, "done_by", json_string(c->by->login));
		done = 1;
	} else if (v && json_is_false(v) && done) {
		put(c, "done_at", json_null());
		put(c, "done_by", json_string(""));
		done = 0;
	} else if (c->creating) {
		json_object_set_new(c->rec, "done_at", json_null());
		json_object_set_new(c->rec, "done_by", json_string(""));
	}
	int held = js(c->rec, "assignee")[0] || js(c->rec, "unit")[0];
	if (!held && time_of(c->rec, "due_at")) {
		if (json_object_get(c->in, "due_date") || json_object_get(c->in, "due_in"))
			return bad(e, "due_date", "hạn xử lý cần cán bộ hoặc đơn vị được giao",
				   "a deadline needs an assignee or a unit");
		put(c, "due_at", json_null()); /* the assignment was withdrawn */
	}
	put(c, "state", json_string(done ? "done" : held ? "assigned" : "new"));
	return MC_OK;
}

static const char *const in_keys[] = { "received_at", "number", "issuer", "symbol", "doc_date",
				       "type", "excerpt", "urgency", "secrecy", "attachments",
				       "assignee", "unit", "due_date", "due_in", "note", "done",
				       NULL };
static const char *const out_keys[] = { "number", "type", "doc_date", "excerpt", "unit",
					"issuer_abbr", "signer", "recipients", "copies",
					"urgency", "secrecy", "attachments", "note", NULL };

static int apply_in(req_ctx *c, mc_err *e)
{
	int rc = set_received(c, e);
	if (!rc)
		rc = set_text(c, "issuer", NAME_MAX, 1, 0, e);
	if (!rc)
		rc = set_text(c, "symbol", SYMBOL_MAX, 0, 0, e);
	if (!rc)
		rc = set_doc_date(c, 1, e);
	if (!rc)
		rc = set_type(c, e);
	if (!rc)
		rc = set_text(c, "excerpt", TEXT_MAX, 1, 1, e);
	if (!rc)
		rc = set_code(c, "urgency", vb_urgencies, "thuong", e);
	if (!rc)
		rc = set_code(c, "secrecy", vb_secrecies, "thuong", e);
	if (!rc)
		rc = set_attachments(c, e);
	if (!rc)
		rc = set_text(c, "note", TEXT_MAX, 0, 1, e);
	if (!rc)
		rc = set_assignment(c, e);
	if (!rc)
		rc = set_due(c, e);
	if (!rc)
		rc = set_state(c, e);
	/* A document cannot arrive before it was written. */
	if (!rc) {
		char recv[11];
		day_of(time_of(c->rec, "received_at"), recv);
		if (strcmp(js(c->rec, "doc_date"), recv) > 0)
			rc = bad(e, "doc_date", "ngày của văn bản không được sau ngày đến",
				 "the document's date must not be after the date received");
	}
	return rc;
}

static int set_signer(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "signer");
	if (!v || json_is_null(v))
		return c->creating ? bad(e, "signer", "bắt buộc phải nhập người ký", "is required")
				   : MC_OK;
	if (!json_is_object(v))
		return bad(e, "signer", "phải là {\"name\", \"title\"}", "must be {\"name\", \"title\"}");
	const char *k;
	const json_t *x;
	json_object_foreach(mut(v), k, x) {
		if (strcmp(k, "name") != 0 && strcmp(k, "title") != 0)
			return mc_fail(e, MCE_UNKNOWN_FIELD, "signer.%.40s: trường không được chấp nhận",
				       "signer.%.40s: unknown field", k);
	}
	req_ctx sub = *c;
	sub.in = v;
	sub.creating = 1;
	char *name = NULL, *title = NULL;
	int rc = text_arg(&sub, "name", NAME_MAX, 1, 0, &name, e);
	if (!rc)
		rc = text_arg(&sub, "title", NAME_MAX, 0, 0, &title, e);
	if (rc)
		mc_prefix(e, "signer", "signer");
	else
		put(c, "signer", json_pack("{s:s, s:s}", "name", name, "title", title ? title : ""));
	free(name);
	free(title);
	return rc;
}

static int set_recipients(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "recipients");
	if (!v || json_is_null(v))
		return c->creating ? bad(e, "recipients", "bắt buộc phải có nơi nhận", "is required")
				   : MC_OK;
	if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > RECIPIENTS_MAX)
		return bad(e, "recipients", "phải là danh sách từ 1 đến 100 nơi nhận",
			   "must be a list of 1 to 100 recipients");
	json_t *list = json_array();
	size_t i;
	const json_t *x;
	json_array_foreach(v, i, x) {
		char field[48];
		snprintf(field, sizeof field, "recipients[%zu]", i);
		if (!json_is_string(x)) {
			json_decref(list);
			return bad(e, field, "phải là chuỗi ký tự", "must be a string");
		}
		int rc = txt_check_field(field, json_string_value(x), NAME_MAX, 1, 0, e);
		char *n = rc ? NULL : txt_nfc(json_string_value(x));
		if (rc || !n) {
			json_decref(list);
			return rc ? rc : bad(e, field, "không phải UTF-8 hợp lệ", "is not valid UTF-8");
		}
		json_array_append_new(list, json_string(n));
		free(n);
	}
	put(c, "recipients", list);
	return MC_OK;
}

/* The drafting unit (its abbreviation makes a công văn's symbol) and the
 * issuer's abbreviation; the symbol itself is made with the number. */
static int set_out_unit(req_ctx *c, mc_err *e)
{
	const json_t *v = json_object_get(c->in, "unit");
	if (v && !json_is_null(v) && !json_is_string(v))
		return bad(e, "unit", "phải là mã đơn vị", "must be a unit code");
	const char *code = json_is_string(v) ? json_string_value(v) : "";
	char abbr[32] = "";
	if (*code) {
		app_unit u;
		if (app_unit_get(c->a, code, &u, e))
			return mc_prefix(e, "unit", "unit");
		snprintf(abbr, sizeof abbr, "%s", u.abbr);
	}
	put(c, "unit", json_string(code));
	json_object_set_new(c->rec, "unit_abbr", json_string(abbr));
	v = json_object_get(c->in, "issuer_abbr");
	const char *iss = ISSUER_DEFAULT;
	if (v && !json_is_null(v)) {
		iss = json_string_value(v);
		if (!vb_abbr_valid(iss))
			return bad(e, "issuer_abbr",
				   "phải là chữ viết tắt tên cơ quan (1 đến 20 chữ cái, chữ số, ví dụ UBND)",
				   "must be an abbreviation (1 to 20 letters and digits, e.g. UBND)");
	}
	put(c, "issuer_abbr", json_string(iss));
	return MC_OK;
}

static int apply_out(req_ctx *c, mc_err *e)
{
	int rc = MC_OK;
	if (c->creating) {
		rc = set_type(c, e);
		if (!rc)
			rc = set_out_unit(c, e);
	}
	if (!rc) {
		int had = json_object_get(c->rec, "doc_date") != NULL;
		int year = had ? year_of_day(js(c->rec, "doc_date")) : 0;
		rc = set_doc_date(c, 0, e);
		/* LAW: Decree 30/2020/NĐ-CP Art. 15: numbers run through the
		 * year the document is issued in. */
		if (!rc && had && year_of_day(js(c->rec, "doc_date")) != year)
			rc = bad(e, "doc_date",
				 "ngày thuộc năm khác: số văn bản đi đổi theo năm, hãy đăng ký lại",
				 "falls in another year: numbers are per year, register it again");
	}
	if (!rc)
		rc = set_text(c, "excerpt", TEXT_MAX, 1, 1, e);
	if (!rc)
		rc = set_signer(c, e);
	if (!rc)
		rc = set_recipients(c, e);
	if (!rc) {
		int64_t n = 0;
		int given;
		rc = int_arg(c, "copies", 0, COPIES_MAX, &n, &given, e);
		if (!rc && (given || c->creating))
			put(c, "copies", json_integer(n));
	}
	if (!rc)
		rc = set_code(c, "urgency", vb_urgencies, "thuong", e);
	if (!rc)
		rc = set_code(c, "secrecy", vb_secrecies, "thuong", e);
	if (!rc)
		rc = set_attachments(c, e);
	if (!rc)
		rc = set_text(c, "note", TEXT_MAX, 0, 1, e);
	if (!rc && c->creating) {
		/* The symbol's parts, checked before a number is taken. */
		char sym[128];
		rc = vb_symbol(1, js(c->rec, "type"), js(c->rec, "issuer_abbr"),
			       js(c->rec, "unit_abbr"), sym, sizeof sym, e);
	}
	return rc;
}

/* Refuses a key not in keys (the HTTP layer refuses them first). */
static int only_keys(const json_t *in, const char *const *keys, mc_err *e)
{
	if (!json_is_object(in))
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD, "nội dung phải là một đối tượng JSON",
			       "the body must be a JSON object");
	const char *k;
	json_t *v;
	json_object_foreach(mut(in), k, v) {
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k) != 0)
			i++;
		if (!keys[i])
			return mc_fail(e, MCE_UNKNOWN_FIELD, "trường '%.40s' không được chấp nhận",
				       "unknown field '%.40s'", k);
	}
	return MC_OK;
}

/* ---- register, update, read ---- */

static int write_event(app *a, const app_actor *by, const char *kind, json_t *rec,
		       json_t *changed, mc_time now, mc_err *e)
{
	json_t *doc = json_deep_copy(rec);
	json_object_del(doc, "last_seq");
	json_object_del(doc, "unit_abbr");
	json_t *p = json_pack("{s:s, s:o}", "book", js(rec, "book"), "document", doc);
	if (changed)
		json_object_set(p, "changed", changed);
	int64_t seq = 0;
	int rc = ev_append(a->st, now, by->login, kind, NULL, p, &seq, e);
	json_decref(p);
	if (!rc)
		json_object_set_new(rec, "last_seq", json_integer(seq));
	return rc;
}

/* The record of entry id. MC_ENOTFOUND document.not_found. OUT: *rec. */
static int load(app *a, const char *book, const char *id, json_t **rec, mc_err *e);

int app_doc_register(app *a, const app_actor *by, const char *book, const json_t *in,
		     const char *request_key, int *replayed, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	if (replayed)
		*replayed = 0;
	int rc = book_check(book, e);
	if (!rc && request_key)
		rc = app_reqkey_valid(request_key, e);
	if (rc)
		return rc;
	if (!may_write(by))
		return mc_fail(e, MCE_ROLE, "vai trò '%s' không được vào sổ văn bản",
			       "role '%s' may not register documents", dsr_role_name(by->role));
	rc = only_keys(in, is_in(book) ? in_keys : out_keys, e);
	if (!rc && !is_in(book) && json_object_get(in, "done"))
		rc = mc_fail(e, MCE_UNKNOWN_FIELD, "văn bản đi không có trạng thái xử lý",
			     "outgoing documents have no processing state");
	if (rc)
		return rc;
	req_ctx c = { .a = a, .by = by, .now = now, .in = in, .rec = json_object(),
		      .changed = json_array(), .creating = 1 };
	json_object_set_new(c.rec, "agency", json_string(a->agency));
	json_object_set_new(c.rec, "book", json_string(book));
	rc = is_in(book) ? apply_in(&c, e) : apply_out(&c, e);
	int64_t no = 0;
	int given = 0;
	if (!rc)
		rc = int_arg(&c, "number", 1, VB_NO_MAX, &no, &given, e);
	int year = is_in(book) ? (int)json_integer_value(json_object_get(c.rec, "year"))
			       : year_of_day(js(c.rec, "doc_date"));
	const char *series = is_in(book) ? "" : js(c.rec, "type");
	char request[160], was[96] = "";
	if (!rc && request_key) {
		char kind[32];
		snprintf(kind, sizeof kind, "document.%s", book);
		app_request_id(kind, json_deep_copy(in), request);
	}
	if (!rc)
		rc = st_begin(a->st, e);
	int seen = 0;
	if (!rc && request_key)
		rc = app_reqkey_seen(a, by, request_key, request, was, &seen, e);
	if (!rc && seen) {
		/* A retry: the entry the first request made, nothing written. */
		st_rollback(a->st);
		json_decref(c.rec);
		json_decref(c.changed);
		json_t *rec = NULL;
		rc = load(a, book, was, &rec, e);
		if (!rc) {
			*out = view(a, by, rec, now);
			if (replayed)
				*replayed = 1;
		}
		json_decref(rec);
		return rc;
	}
	if (rc) {
		st_rollback(a->st); /* open or not */
		json_decref(c.rec);
		json_decref(c.changed);
		return rc;
	}
	if (given) {
		int used = 0;
		rc = st_doc_used(a->st, a->agency, book, year, series, no, &used, e);
		if (!rc && used)
			rc = is_in(book)
				? mc_fail(e, MCE_DOCUMENT_NUMBER_USED,
					  "số đến %lld của năm %d đã có trong sổ",
					  "arrival number %lld of %d is already in the register",
					  (long long)no, year)
				: mc_fail(e, MCE_DOCUMENT_NUMBER_USED,
					  "số %lld của loại %s năm %d đã có trong sổ",
					  "number %lld of type %s in %d is already in the register",
					  (long long)no, series, year);
		if (!rc)
			rc = st_doc_take(a->st, a->agency, book, year, series, no, e);
	} else {
		rc = st_doc_next(a->st, a->agency, book, year, series, &no, e);
		if (!rc && no > VB_NO_MAX)
			rc = bad(e, "number", "sổ của năm đã hết số", "the year's register is full");
	}
	char id[96];
	if (!rc) {
		json_object_set_new(c.rec, "year", json_integer(year));
		json_object_set_new(c.rec, "number", json_integer(no));
		if (is_in(book))
			snprintf(id, sizeof id, "%d-%lld", year, (long long)no);
		else
			snprintf(id, sizeof id, "%d-%s-%lld", year, series, (long long)no);
		json_object_set_new(c.rec, "id", json_string(id));
		if (!is_in(book)) {
			char sym[128];
			rc = vb_symbol(no, series, js(c.rec, "issuer_abbr"), js(c.rec, "unit_abbr"),
				       sym, sizeof sym, e);
			if (!rc)
				json_object_set_new(c.rec, "symbol", json_string(sym));
		}
		json_object_set_new(c.rec, "registered_by", json_string(by->login));
		json_object_set_new(c.rec, "registered_at", app_json_time(now));
		json_object_set_new(c.rec, "updated_at", app_json_time(now));
	}
	if (!rc)
		rc = write_event(a, by, "document.registered", c.rec, NULL, now, e);
	if (!rc) {
		st_doc d;
		char *keep[4] = { 0 }, day[11];
		row_of_rec(c.rec, &d, day, keep);
		d.series = series;
		rc = st_doc_insert(a->st, &d, e);
		keep_free(keep);
	}
	if (!rc && request_key)
		rc = st_reqkey_put(a->st, by->login, request_key, request, id, now, e);
	rc = st_end(a->st, rc, e);
	if (!rc)
		*out = view(a, by, c.rec, now);
	json_decref(c.rec);
	json_decref(c.changed);
	return rc;
}

/* The record of entry id. MC_ENOTFOUND document.not_found. OUT: *rec. */
static int load(app *a, const char *book, const char *id, json_t **rec, mc_err *e)
{
	*rec = NULL;
	int rc = st_doc_get(a->st, a->agency, book, id ? id : "", rec_of_row, rec, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_DOCUMENT_NOT_FOUND, "không có văn bản '%.40s' trong sổ văn bản %s",
			       "no document '%.40s' in the %s register", id ? id : "",
			       is_in(book) ? "đến" : "đi");
	return rc;
}

int app_doc_update(app *a, const app_actor *by, const char *book, const char *id,
		   const json_t *in, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	int rc = book_check(book, e);
	if (rc)
		return rc;
	static const char *const in_edit[] = { "received_at", "issuer", "symbol", "doc_date",
					       "type", "excerpt", "urgency", "secrecy",
					       "attachments", "assignee", "unit", "due_date",
					       "due_in", "note", "done", NULL };
	static const char *const out_edit[] = { "doc_date", "excerpt", "signer", "recipients",
						"copies", "urgency", "secrecy", "attachments",
						"note", NULL };
	rc = only_keys(in, is_in(book) ? in_edit : out_edit, e);
	if (rc) {
		/* Say why a known field is refused: it names the entry. */
		const char *k;
		json_t *v;
		json_object_foreach(mut(in), k, v) {
			if (strcmp(k, "number") == 0 || strcmp(k, "type") == 0 ||
			    strcmp(k, "unit") == 0 || strcmp(k, "issuer_abbr") == 0)
				return bad(e, k,
					   "không sửa được vì làm nên số, ký hiệu của văn bản: đăng ký lại",
					   "cannot change: it makes the document's number or symbol; register it again");
		}
		return rc;
	}
	if (json_object_size(in) == 0)
		return mc_fail(e, MCE_DOCUMENT_BAD_FIELD, "không có gì để thay đổi",
			       "nothing to change");
	int only_done = json_object_size(in) == 1 && json_object_get(in, "done");
	if (!may_write(by) && !only_done)
		return mc_fail(e, MCE_ROLE, "vai trò '%s' không được sửa sổ văn bản",
			       "role '%s' may not edit the register", dsr_role_name(by->role));
	json_t *rec = NULL;
	req_ctx c = { .a = a, .by = by, .now = now, .in = in, .changed = json_array() };
	rc = st_begin(a->st, e);
	if (!rc)
		rc = load(a, book, id, &rec, e);
	/* LAW: the assignee reports the document handled; leaders and the
	 * administrator may close or reopen it too. */
	if (!rc && json_object_get(in, "done") && by->role != ROLE_LEADER &&
	    by->role != ROLE_ADMIN && !is_assignee(by, rec))
		rc = mc_fail(e, MCE_DOCUMENT_NOT_ASSIGNEE,
			     "chỉ cán bộ được giao, lãnh đạo hoặc quản trị đánh dấu văn bản đã xử lý",
			     "only the assignee, a leader or an admin marks the document done");
	if (!rc) {
		c.rec = rec;
		rc = is_in(book) ? apply_in(&c, e) : apply_out(&c, e);
	}
	if (!rc && json_array_size(c.changed) > 0) {
		json_object_set_new(rec, "updated_at", app_json_time(now));
		rc = write_event(a, by, "document.updated", rec, c.changed, now, e);
		if (!rc) {
			st_doc d;
			char *keep[4] = { 0 }, day[11];
			row_of_rec(rec, &d, day, keep);
			rc = st_doc_update(a->st, &d, e);
			keep_free(keep);
		}
	}
	rc = st_end(a->st, rc, e);
	if (!rc)
		*out = view(a, by, rec, now);
	json_decref(rec);
	json_decref(c.changed);
	return rc;
}

int app_doc_get(app *a, const app_actor *by, const char *book, const char *id, mc_time now,
		json_t **out, mc_err *e)
{
	*out = NULL;
	int rc = book_check(book, e);
	json_t *rec = NULL;
	if (!rc)
		rc = load(a, book, id, &rec, e);
	if (!rc)
		*out = view(a, by, rec, now);
	json_decref(rec);
	return rc;
}

/* ---- search ---- */

typedef struct {
	app *a;
	const app_actor *by;
	mc_time now;
	json_t *items;
	json_t *recs; /* the records themselves (exports), or NULL */
} list_ctx;

static int list_one(void *ctx, const st_doc *d)
{
	list_ctx *c = ctx;
	json_t *rec = NULL;
	rec_of_row(&rec, d);
	if (c->recs)
		json_array_append(c->recs, rec);
	if (c->items)
		json_array_append_new(c->items, view(c->a, c->by, rec, c->now));
	json_decref(rec);
	return 0;
}

/* The filter of q, checked. OUT: *f (its strings point into q and
 * *fold, which the caller frees). */
static int filter_of(app *a, const app_actor *by, const app_doc_query *q, st_doc_filter *f,
		     char **fold, mc_err *e)
{
	memset(f, 0, sizeof *f);
	*fold = NULL;
	f->agency = a->agency;
	f->book = q->book;
	f->privileged = by->role == ROLE_LEADER || by->role == ROLE_ADMIN;
	f->login = by->login;
	f->login_unit = by->unit;
#define SET(x) ((x) && *(x) ? (x) : NULL)
	if (SET(q->year)) {
		char *end;
		long y = strtol(q->year, &end, 10);
		if (*end || y < 1900 || y > 2199 || strlen(q->year) != 4)
			return bad(e, "year", "phải là năm, ví dụ 2026", "must be a year such as 2026");
		f->year = (int)y;
	}
	if (SET(q->type) && !vb_type_find(q->type))
		return bad(e, "type", "không phải loại văn bản", "is not a document type");
	f->type = SET(q->type);
	if (SET(q->urgency) && !vb_urgency_label(q->urgency))
		return bad(e, "urgency", "phải là thuong, khan, thuong_khan hoặc hoa_toc",
			   "must be thuong, khan, thuong_khan or hoa_toc");
	f->urgency = SET(q->urgency);
	if (SET(q->secrecy) && !vb_secrecy_label(q->secrecy))
		return bad(e, "secrecy", "phải là thuong, mat, toi_mat hoặc tuyet_mat",
			   "must be thuong, mat, toi_mat or tuyet_mat");
	f->secrecy = SET(q->secrecy);
	if (SET(q->state)) {
		if (!is_in(q->book) || (strcmp(q->state, "new") != 0 &&
					strcmp(q->state, "assigned") != 0 &&
					strcmp(q->state, "done") != 0 && strcmp(q->state, "open") != 0))
			return bad(e, "state", "phải là new, assigned, done hoặc open (văn bản đến)",
				   "must be new, assigned, done or open (incoming documents)");
		f->state = q->state;
	}
	if (SET(q->assignee) && !is_in(q->book))
		return bad(e, "assignee", "chỉ có ở văn bản đến", "applies to incoming documents");
	f->assignee = SET(q->assignee);
	f->unit = SET(q->unit);
	int32_t day;
	mc_err pe;
	if (SET(q->from) && cal_parse_date(q->from, &day, &pe))
		return bad(e, "from", "phải là ngày YYYY-MM-DD", "must be a date YYYY-MM-DD");
	if (SET(q->to) && cal_parse_date(q->to, &day, &pe))
		return bad(e, "to", "phải là ngày YYYY-MM-DD", "must be a date YYYY-MM-DD");
	f->day_from = SET(q->from);
	f->day_to = SET(q->to);
	if (SET(q->q)) {
		if (strlen(q->q) > 200)
			return bad(e, "q", "dài quá 200 byte", "is longer than 200 bytes");
		*fold = txt_fold(q->q);
		if (!*fold)
			return bad(e, "q", "không phải UTF-8 hợp lệ", "is not valid UTF-8");
		f->fold_q = **fold ? *fold : NULL;
	}
#undef SET
	return MC_OK;
}

int app_doc_list(app *a, const app_actor *by, const app_doc_query *q, mc_time now, json_t **out,
		 mc_err *e)
{
	*out = NULL;
	int rc = book_check(q->book, e);
	if (rc)
		return rc;
	if (q->limit < 0 || q->limit > APP_DOC_PAGE_MAX || q->offset < 0)
		return bad(e, "limit", "limit từ 1 đến 200, offset không âm",
			   "limit must be 1 to 200 and offset not negative");
	st_doc_filter f;
	char *fold = NULL;
	rc = filter_of(a, by, q, &f, &fold, e);
	f.offset = q->offset;
	f.limit = q->limit ? q->limit : 50;
	int64_t total = 0;
	list_ctx c = { .a = a, .by = by, .now = now, .items = json_array() };
	if (!rc)
		rc = st_doc_count(a->st, &f, &total, e);
	if (!rc)
		rc = st_doc_list(a->st, &f, list_one, &c, e);
	free(fold);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", c.items, "total", (json_int_t)total,
			 "offset", f.offset, "limit", f.limit);
	return MC_OK;
}

json_t *app_doc_reference(app *a)
{
	size_t n;
	const vb_type *t = vb_types(&n);
	json_t *types = json_array(), *urg = json_array(), *sec = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(types, json_pack("{s:s, s:s, s:s}", "code", t[i].code, "name",
						       t[i].name, "abbr", t[i].abbr));
	for (size_t i = 0; vb_urgencies[i]; i++)
		json_array_append_new(urg, json_pack("{s:s, s:s}", "code", vb_urgencies[i], "label",
						     vb_urgency_label(vb_urgencies[i])));
	for (size_t i = 0; vb_secrecies[i]; i++)
		json_array_append_new(sec, json_pack("{s:s, s:s}", "code", vb_secrecies[i], "label",
						     vb_secrecy_label(vb_secrecies[i])));
	(void)a;
	return json_pack("{s:o, s:o, s:o, s:s}", "types", types, "urgencies", urg, "secrecies", sec,
			 "issuer_abbr", ISSUER_DEFAULT);
}

/* ---- export ---- */

/* "2026-03-02" -> "02/03/2026" */
static void vn_date(const char *iso, char out[16])
{
	if (strlen(iso) >= 10)
		snprintf(out, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		out[0] = 0;
}

static void vn_time_date(mc_time t, char out[16])
{
	char d[11];
	if (!t) {
		out[0] = 0;
		return;
	}
	day_of(t, d);
	vn_date(d, out);
}

#define WITHHELD_VI "(Văn bản mật: trích yếu không hiển thị)"

/* The register's columns of one entry (strings), as Decree 30's book has
 * them. */
static json_t *book_row(app *a, const app_actor *by, const json_t *rec, int for_pdf)
{
	const vb_type *t = vb_type_find(js(rec, "type"));
	int withheld = vb_secret(js(rec, "secrecy")) && !may_read_secret(by, rec);
	sb ex, note, who;
	sb_init(&ex, 1u << 16);
	sb_init(&note, 1u << 16);
	sb_init(&who, 1u << 16);
	sb_add(&ex, t ? t->name : js(rec, "type"));
	sb_add(&ex, for_pdf ? "\n" : ": ");
	sb_add(&ex, withheld ? WITHHELD_VI : js(rec, "excerpt"));
	const char *ul = vb_urgency_label(js(rec, "urgency"));
	const char *sl = vb_secrecy_label(js(rec, "secrecy"));
	if (strcmp(js(rec, "urgency"), "thuong") != 0 && ul)
		sb_addf(&note, "%s", ul);
	if (vb_secret(js(rec, "secrecy")) && sl)
		sb_addf(&note, "%s%s", note.len ? "; " : "", sl);
	if (!withheld && js(rec, "note")[0])
		sb_addf(&note, "%s%s", note.len ? "; " : "", js(rec, "note"));
	char d1[16], d2[16], name[256];
	json_t *row;
	if (is_in(js(rec, "book"))) {
		if (js(rec, "unit")[0]) {
			name_of_unit(a, js(rec, "unit"), name, sizeof name);
			sb_add(&who, name);
		}
		if (js(rec, "assignee")[0]) {
			name_of_user(a, js(rec, "assignee"), name, sizeof name);
			sb_addf(&who, "%s%s", who.len ? "; " : "", name);
		}
		mc_time due = time_of(rec, "due_at");
		if (due) {
			char dd[16];
			vn_time_date(due, dd);
			sb_addf(&who, "%shạn %s", who.len ? (for_pdf ? "\n" : "; ") : "Hạn ", dd);
		}
		if (strcmp(js(rec, "state"), "done") == 0) {
			char dd[16];
			vn_time_date(time_of(rec, "done_at"), dd);
			sb_addf(&note, "%sĐã xử lý %s", note.len ? "; " : "", dd);
		}
		vn_time_date(time_of(rec, "received_at"), d1);
		vn_date(js(rec, "doc_date"), d2);
		char no[24];
		snprintf(no, sizeof no, "%lld", (long long)json_integer_value(json_object_get(rec, "number")));
		row = json_pack("[s, o, s, s, s, s, s, s, s]", d1,
				for_pdf ? json_string(no)
					: json_integer(json_integer_value(json_object_get(rec, "number"))),
				js(rec, "issuer"), js(rec, "symbol"), d2, sb_str(&ex), sb_str(&who), "",
				sb_str(&note));
	} else {
		const json_t *sg = json_object_get(rec, "signer");
		sb_add(&who, js(sg, "name"));
		if (js(sg, "title")[0])
			sb_addf(&who, "%s%s", for_pdf ? "\n" : ", ", js(sg, "title"));
		sb rcp;
		sb_init(&rcp, 1u << 16);
		size_t i;
		const json_t *v;
		json_array_foreach(json_object_get(rec, "recipients"), i, v)
			sb_addf(&rcp, "%s%s", i ? (for_pdf ? "\n" : "; ") : "", json_string_value(v));
		name_of_unit(a, js(rec, "unit"), name, sizeof name);
		vn_date(js(rec, "doc_date"), d1);
		vn_time_date(time_of(rec, "registered_at"), d2);
		char copies[16] = "";
		int64_t cp = json_integer_value(json_object_get(rec, "copies"));
		if (cp)
			snprintf(copies, sizeof copies, "%lld", (long long)cp);
		row = json_pack("[s, s, s, s, s, s, o, s, s, s]", js(rec, "symbol"), d1, sb_str(&ex),
				sb_str(&who), sb_str(&rcp), name,
				for_pdf ? json_string(copies) : cp ? json_integer(cp) : json_null(), d2,
				"", sb_str(&note));
		sb_release(&rcp);
	}
	sb_release(&ex);
	sb_release(&note);
	sb_release(&who);
	return row;
}

/* The heads and widths (characters in the workbook; shares in the PDF)
 * of LAW: Decree 30/2020/NĐ-CP Appendix IV's "Sổ đăng ký văn bản đến" and
 * "Sổ đăng ký văn bản đi". */
static const struct {
	const char *head, *type, *align;
	int width;
} in_cols[] = {
	{ "Ngày đến", "text", "center", 12 },
	{ "Số đến", "int", "center", 8 },
	{ "Tác giả", "text", "left", 24 },
	{ "Số, ký hiệu", "text", "left", 16 },
	{ "Ngày tháng", "text", "center", 12 },
	{ "Tên loại và trích yếu nội dung", "text", "left", 44 },
	{ "Đơn vị hoặc người nhận", "text", "left", 22 },
	{ "Ký nhận", "text", "left", 10 },
	{ "Ghi chú", "text", "left", 16 },
}, out_cols[] = {
	{ "Số, ký hiệu văn bản", "text", "left", 16 },
	{ "Ngày tháng văn bản", "text", "center", 13 },
	{ "Tên loại và trích yếu nội dung văn bản", "text", "left", 36 },
	{ "Người ký", "text", "left", 18 },
	{ "Nơi nhận văn bản", "text", "left", 22 },
	{ "Đơn vị, người nhận bản lưu", "text", "left", 18 },
	{ "Số lượng bản", "int", "center", 8 },
	{ "Ngày chuyển", "text", "center", 13 },
	{ "Ký nhận", "text", "left", 10 },
	{ "Ghi chú", "text", "left", 14 },
};

int app_doc_export(app *a, const app_actor *by, const char *book, const char *from,
		   const char *to, const char *format, mc_time now, unsigned char **bytes,
		   size_t *len, const char **mime, mc_err *e)
{
	*bytes = NULL;
	*len = 0;
	*mime = NULL;
	int rc = book_check(book, e);
	if (rc)
		return rc;
	int pdf = format && strcmp(format, "pdf") == 0;
	if (!pdf && !(format && strcmp(format, "xlsx") == 0))
		return bad(e, "format", "phải là xlsx hoặc pdf", "must be xlsx or pdf");
	int32_t d0, d1, today = cal_local_day(now);
	int y, m, d;
	cal_civil_from_days(today, &y, &m, &d);
	d0 = cal_days_from_civil(y, 1, 1);
	d1 = today;
	mc_err pe;
	if (from && *from && cal_parse_date(from, &d0, &pe))
		return bad(e, "from", "phải là ngày YYYY-MM-DD", "must be a date YYYY-MM-DD");
	if (to && *to && cal_parse_date(to, &d1, &pe))
		return bad(e, "to", "phải là ngày YYYY-MM-DD", "must be a date YYYY-MM-DD");
	if (d1 < d0 || d1 - d0 > 365)
		return bad(e, "to", "khoảng ngày phải từ 1 đến 366 ngày, from không sau to",
			   "the period must be 1 to 366 days, from not after to");
	char f0[11], f1[11];
	cal_format_date(d0, f0);
	cal_format_date(d1, f1);
	app_doc_query q = { .book = book, .from = f0, .to = f1 };
	st_doc_filter f;
	char *fold = NULL;
	rc = filter_of(a, by, &q, &f, &fold, e);
	free(fold);
	if (rc)
		return rc;
	f.ascending = 1;
	f.limit = APP_DOC_EXPORT_MAX + 1;
	list_ctx c = { .a = a, .by = by, .now = now, .recs = json_array() };
	rc = st_doc_list(a->st, &f, list_one, &c, e);
	if (!rc && json_array_size(c.recs) > APP_DOC_EXPORT_MAX)
		rc = bad(e, "to", "khoảng ngày có hơn 5000 văn bản: xuất từng phần ngắn hơn",
			 "the period holds more than 5000 documents: export shorter parts");
	if (rc) {
		json_decref(c.recs);
		return rc;
	}
	json_t *rows = json_array();
	size_t i;
	json_t *rec;
	json_array_foreach(c.recs, i, rec)
		json_array_append_new(rows, book_row(a, by, rec, pdf));
	json_decref(c.recs);
	const char *title = is_in(book) ? "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" : "SỔ ĐĂNG KÝ VĂN BẢN ĐI";
	char v0[16], v1[16], period[96], count[96];
	vn_date(f0, v0);
	vn_date(f1, v1);
	snprintf(period, sizeof period, "Từ ngày %s đến ngày %s", v0, v1);
	snprintf(count, sizeof count, "Tổng số: %zu văn bản", json_array_size(rows));
	size_t ncols = is_in(book) ? MC_ARRAY_LEN(in_cols) : MC_ARRAY_LEN(out_cols);
	json_t *cols = json_array(), *head = json_array();
	for (size_t k = 0; k < ncols; k++) {
		const char *hd = is_in(book) ? in_cols[k].head : out_cols[k].head;
		const char *ty = is_in(book) ? in_cols[k].type : out_cols[k].type;
		const char *al = is_in(book) ? in_cols[k].align : out_cols[k].align;
		int w = is_in(book) ? in_cols[k].width : out_cols[k].width;
		if (pdf)
			json_array_append_new(cols, json_pack("{s:s, s:i, s:s}", "head", hd, "width",
							      w, "align", al));
		else {
			json_array_append_new(cols, json_pack("{s:s, s:i}", "type", ty, "width", w));
			json_array_append_new(head, json_pack("{s:s}", "text", hd));
		}
	}
	if (pdf) {
		json_t *in = json_pack("{s:s, s:s, s:s, s:[s], s:o, s:o, s:[s]}", "agency_top",
				       "ỦY BAN NHÂN DÂN", "agency", a->agency_name, "title", title,
				       "subtitle", period, "columns", cols, "rows", rows, "notes",
				       count);
		json_decref(head);
		rc = doc_book_pdf(in, bytes, len, e);
		json_decref(in);
		*mime = "application/pdf";
	} else {
		/* In running text the kind is lower case: "Ủy ban nhân dân xã Kim
		 * Bôi". */
		char sub0[320];
		snprintf(sub0, sizeof sub0, "Ủy ban nhân dân %s", a->agency_name);
		size_t k = strlen("Ủy ban nhân dân ");
		static const char *const kinds[] = { "Xã ", "Phường ", "Thị trấn ", "Tỉnh ",
						     "Thành phố " };
		for (size_t j = 0; j < MC_ARRAY_LEN(kinds); j++)
			if (strncmp(sub0 + k, kinds[j], strlen(kinds[j])) == 0)
				sub0[k] = (char)(sub0[k] - 'A' + 'a');
		json_t *t = json_pack("{s:s, s:s, s:[s, s], s:[o], s:b, s:o, s:o, s:[s]}", "sheet",
				      is_in(book) ? "Văn bản đến" : "Văn bản đi", "title", title,
				      "subtitle", sub0, period, "head", head, "numbered", 1,
				      "columns", cols, "rows", rows, "notes", count);
		rc = doc_table_xlsx(t, bytes, len, e);
		json_decref(t);
		*mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	return rc;
}
