/*
 * catimport.c - importing, listing and showing the procedure catalog.
 */
#include "app_int.h"

#include <sodium.h>

#include "app/catalog.h"
#include "core/catp.h"
#include "core/txt.h"
#include "sb.h"
#include "store/ev.h"

static const char *str_or(json_t *o, const char *k, const char *dflt)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : dflt;
}

/*
 * A quarter of the national crawl gives a bare number ("1") with no unit in
 * the time column or the description. Administrative-procedure times are
 * counted in working days unless the text says otherwise, so such a number
 * is counted in working days for deadlines; the catalog body keeps the raw
 * text and its "inferred" flag so an administrator can see and correct it.
 * NEEDSWORK: let the province publish the unit for these procedures.
 * Returns the unit, or -1 if the procedure gives no number at all.
 */
static int bare_time(json_t *clean, const char *channel, double *amount)
{
	size_t i;
	json_t *c;
	int found = -1;
	for (int pass = 0; pass < 2 && found < 0; pass++) {
		json_array_foreach(json_object_get(clean, "channels"), i, c) {
			json_t *t = json_object_get(c, "time");
			const char *ch = json_string_value(json_object_get(c, "channel"));
			if (!json_is_number(t) || json_number_value(t) <= 0 ||
			    !json_is_null(json_object_get(c, "unit")))
				continue;
			if (pass == 0 && (!ch || strcmp(ch, channel) != 0))
				continue;
			*amount = json_number_value(t);
			found = DL_WORKING_DAYS;
			break;
		}
	}
	return found;
}

/* 1 if the channel's time (as catalog_channel_time picks it) has a unit. */
static int catalog_has_unit(json_t *clean, const char *channel)
{
	double amt;
	int unit;
	mc_err ignore;
	return catalog_channel_time(clean, channel, &amt, &unit, &ignore) == MC_OK;
}

/* Writes one clean procedure. OUT: *created. */
static int put_clean(app *a, json_t *clean, int complete, const char *source, int *created,
		     mc_err *e)
{
	static const char *const chs[3] = { "direct", "online", "postal" };
	char *body = json_dumps(clean, JSON_COMPACT | JSON_SORT_KEYS);
	if (!body)
		return mc_fail(e, MCE_CATALOG_BAD_PROCEDURE, "không mã hoá được thủ tục thành JSON",
			       "procedure cannot be encoded");
	const char *code = str_or(clean, "code", "");
	const char *name = str_or(clean, "name", "");
	const char *field = str_or(clean, "field", "");
	char version[64];
	const char *v = json_string_value(json_object_get(clean, "version"));
	if (v && *v) {
		snprintf(version, sizeof version, "%s", v);
	} else {
		/* Content-addressed when the source gives no version: a hub and a
		 * node holding the same text agree on the version. */
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256(h, (const unsigned char *)body, strlen(body));
		sodium_bin2hex(version, 17, h, 8);
	}
	sb f;
	sb_init(&f, 1 << 20);
	sb_addf(&f, "%s %s %s", code, name, field);
	char *fold = txt_fold(sb_str(&f));
	sb_release(&f);
	st_procedure p = {
		.code = code, .name = name, .field = field, .level = str_or(clean, "level", ""),
		.fold = fold ? fold : "", .version = version,
		.source = str_or(clean, "source", source), .complete = complete, .body = body,
	};
	for (int ch = 0; ch < 3; ch++) {
		mc_err ignore;
		p.unit[ch] = -1;
		if (catalog_channel_time(clean, chs[ch], &p.t[ch], &p.unit[ch], &ignore) != MC_OK)
			p.unit[ch] = bare_time(clean, chs[ch], &p.t[ch]);
		p.guessed[ch] = p.unit[ch] >= 0 && !catalog_has_unit(clean, chs[ch]);
	}
	int rc = st_procedure_put(a->st, &p, created, e);
	free(fold);
	free(body);
	return rc;
}

int app_catalog_import(app *a, const app_actor *by, const char *text, size_t len,
		       const char *source, mc_time now, app_import_stats *stats, mc_err *e)
{
	memset(stats, 0, sizeof *stats);
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được nhập danh mục thủ tục",
			       "only an administrator may import the catalog");
	json_t *codes = json_array();
	int rc = st_begin(a->st, e);
	if (rc) {
		json_decref(codes);
		return rc;
	}
	size_t pos = 0;
	int line = 0;
	char first_vi[sizeof e->vi] = ""; /* stats->first_error in Vietnamese */
	while (!rc && pos < len) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		size_t k = 0;
		while (k < n && (start[k] == ' ' || start[k] == '\t' || start[k] == '\r'))
			k++;
		if (k == n)
			continue; /* blank line */
		stats->total++;
		json_error_t je;
		json_t *in = json_loadb(start, n, 0, &je);
		json_t *clean = NULL;
		int complete = 0;
		mc_err le = { 0 };
		int lrc = in ? catalog_normalize(in, &clean, &complete, &le)
			     : mc_fail(&le, MCE_CATALOG_BAD_PROCEDURE, "JSON không hợp lệ: %s",
				       "malformed JSON: %s", je.text);
		json_decref(in);
		if (lrc == MC_EINVAL) {
			stats->rejected++;
			if (!stats->first_error[0]) {
				snprintf(stats->first_error, sizeof stats->first_error, "line %d: %.200s",
					 line, le.msg);
				snprintf(first_vi, sizeof first_vi, "dòng %d: %.300s", line,
					 mc_errmsg(&le, 1));
			}
			continue;
		}
		if (lrc) {
			rc = lrc;
			if (e) {
				*e = le;
				(void)mc_prefix(e, "dòng %d", "line %d", line);
			}
			break;
		}
		int created = 0;
		rc = put_clean(a, clean, complete, source, &created, e);
		if (!rc) {
			json_array_append_new(codes, json_string(str_or(clean, "code", "")));
			complete ? stats->full++ : stats->partial++;
			created ? stats->created++ : stats->updated++;
		}
		json_decref(clean);
	}
	/* Each language shows its own first error ("%.0s" skips the other). */
	if (!rc && stats->full + stats->partial == 0)
		rc = mc_fail(e, MCE_CATALOG_IMPORT_EMPTY, "không nhập được thủ tục nào%s%.0s%s",
			     "no procedure could be imported%s%s%.0s",
			     stats->first_error[0] ? ": " : "", stats->first_error, first_vi);
	json_t *p = json_pack("{s:s, s:o, s:i, s:i, s:i, s:i}", "source", source, "codes", codes,
			      "full", stats->full, "partial", stats->partial, "created",
			      stats->created, "updated", stats->updated);
	if (!rc)
		rc = ev_append(a->st, now, by->login, "catalog.imported", NULL, p, NULL, e);
	/* The times the law states for entries that give none (the shipped
	 * data/catalog/commune-times.csv), where the commune set nothing. */
	if (!rc)
		rc = app_local_ship(a, by, now, NULL, e);
	rc = st_end(a->st, rc, e);
	json_decref(p);
	return rc;
}

typedef struct {
	json_t *items;
	int skip, room; /* rows to pass over, then rows to keep (-1: all) */
	int total;
	json_t *fields; /* set of the matches' fields, or NULL */
} plist_ctx;

static int plist_one(void *ctx, const st_procedure *p)
{
	plist_ctx *c = ctx;
	c->total++;
	if (c->fields && p->field && *p->field)
		json_object_set_new(c->fields, p->field, json_true());
	if (c->skip > 0) {
		c->skip--;
		return 0;
	}
	if (c->room == 0)
		return 0;
	if (c->room > 0)
		c->room--;
	json_t *it = json_pack("{s:s, s:s, s:s, s:s, s:b}", "code", p->code, "name", p->name,
			       "field", p->field, "level", p->level, "complete", p->complete);
	json_t *body = json_loads(p->body, 0, NULL);
	json_t *chs = body ? json_object_get(body, "channels") : NULL;
	json_object_set(it, "channels", chs ? chs : json_array());
	json_decref(body);
	json_array_append_new(c->items, it);
	return 0;
}

static int catalog_walk(app *a, const char *field, const char *q, plist_ctx *c, mc_err *e)
{
	char *fq = NULL;
	if (q && *q) {
		if (strlen(q) > 200)
			return mc_fail(e, MCE_INVALID, "q dài quá 200 byte",
				       "q is longer than 200 bytes");
		fq = txt_fold(q);
		if (!fq)
			return mc_fail(e, MCE_INVALID, "q không phải văn bản UTF-8 hợp lệ",
				       "q is not valid UTF-8");
	}
	if (field && !txt_utf8_valid(field, strlen(field))) {
		free(fq);
		return mc_fail(e, MCE_INVALID, "field không phải văn bản UTF-8 hợp lệ",
			       "field is not valid UTF-8");
	}
	int rc = st_procedure_list(a->st, field, fq, plist_one, c, e);
	free(fq);
	return rc;
}

int app_catalog_list(app *a, const char *field, const char *q, json_t **out, mc_err *e)
{
	plist_ctx c = { .items = json_array(), .room = -1 };
	int rc = catalog_walk(a, field, q, &c, e);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = c.items;
	return MC_OK;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int app_catalog_page(app *a, const char *field, const char *q, int offset, int limit,
		     json_t **out, mc_err *e)
{
	if (offset < 0 || limit < 1 || limit > 500)
		return mc_fail(e, MCE_INVALID, "offset phải từ 0 và limit từ 1 đến 500",
			       "offset must be 0 or more and limit 1 to 500");
	plist_ctx c = { .items = json_array(), .skip = offset, .room = limit,
			.fields = json_object() };
	int rc = catalog_walk(a, field, q, &c, e);
	if (rc) {
		json_decref(c.items);
		json_decref(c.fields);
		return rc;
	}
	/* Field names sorted by their bytes: stable, and a client sorts them
	 * for display in its own collation. */
	size_t n = json_object_size(c.fields), i = 0;
	const char **names = mc_xmallocarray(n ? n : 1, sizeof *names);
	const char *k;
	json_t *v;
	json_object_foreach(c.fields, k, v)
		names[i++] = k;
	qsort(names, n, sizeof *names, cmp_str);
	json_t *fields = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(fields, json_string(names[i]));
	free(names);
	json_decref(c.fields);
	*out = json_pack("{s:o, s:i, s:i, s:i, s:o}", "items", c.items, "total", c.total, "offset",
			 offset, "limit", limit, "fields", fields);
	return MC_OK;
}

/* LAW: Circular 03/2025/TT-VPCP form 1 lists the papers received; what a
 * desk receives depends on the channel (a paper only for online filings is
 * not asked at the desk) and a paper needed "in the case that ..." is not a
 * required one (issue 10 item 6). Read from each component's words when
 * the procedure is read, so catalogs imported before keep up. */
static void catalog_component_kinds(json_t *proc)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(proc, "components"), i, c) {
		int k = catp_component_kind(json_string_value(json_object_get(c, "name")));
		json_t *ch = json_array();
		if (k & CATP_COMP_ONLINE_ONLY)
			json_array_append_new(ch, json_string("online"));
		else if (k & CATP_COMP_POSTAL_ONLY)
			json_array_append_new(ch, json_string("postal"));
		else
			for (int n = 0; n < 3; n++)
				json_array_append_new(ch, json_string(catp_channel_name(n)));
		json_object_set_new(c, "channels", ch);
		json_object_set_new(c, "conditional", json_boolean(k & CATP_COMP_CONDITIONAL));
	}
}

/* The effective procedure: the national entry with the commune's entry
 * loc laid over it (its times replace the channels' own, "local" holds the
 * whole entry). Takes loc's reference. */
static void effective(json_t *p, json_t *loc)
{
	json_t *times = json_object_get(loc, "times");
	size_t i;
	json_t *ch;
	json_array_foreach(json_object_get(p, "channels"), i, ch) {
		json_t *t = json_object_get(times, json_string_value(json_object_get(ch, "channel")));
		if (!json_is_object(t))
			continue;
		json_object_set(ch, "time", json_object_get(t, "time"));
		json_object_set(ch, "unit", json_object_get(t, "unit"));
		json_object_set_new(ch, "inferred", json_false());
	}
	json_object_set_new(p, "local", loc);
}

int app_catalog_get(app *a, const char *code, json_t **out, mc_err *e)
{
	char *body = NULL;
	if (!code || strlen(code) > 40)
		return mc_fail(e, MCE_PROCEDURE_NOT_FOUND,
			       "không có thủ tục mã '%s' trong danh mục", "unknown procedure '%s'",
			       code ? code : "");
	int rc = st_procedure_get(a->st, code, &body, e);
	if (rc)
		return rc;
	json_error_t je;
	*out = json_loads(body, 0, &je);
	free(body);
	if (!*out)
		return mc_fail(e, MCE_CORRUPT,
			       "thủ tục '%s' lưu trong cơ sở dữ liệu không phải JSON",
			       "stored procedure '%s' is not JSON", code);
	catalog_strip_invisible(*out);
	catalog_component_kinds(*out);
	json_t *loc = NULL;
	mc_err ig;
	if (app_local_get(a, code, &loc, &ig) == MC_OK)
		effective(*out, loc);
	return MC_OK;
}
