/*
 * pull.c - what the province sends down to its communes (docs/sync.md
 * §7.2, §7.3): the hub publishes items (a government days-off schedule, a
 * commune procedure list, its agency list; transfers and online
 * submissions for one commune) to one commune, some, or all; each node
 * pulls the items after the last
 * cursor it applied, in its sync rounds, and applies each as an event in
 * its own log, once (by the item's hash), in one transaction with the new
 * cursor. The pull is signed both ways like a push (§4).
 */
#include "app/app_int.h"
#include "app/recommend.h"
#include "app/sync.h"
#include "app/tasks_int.h"

#include "core/txt.h"
#include "store/ev.h"
#include "store/st_sync.h"
#include "sync/batch.h"

#include <sodium.h>

/* Communes one publication names at most (or it goes to all). */
#define PUBLISH_MAX_TO 500
/* How many items one pull answers at most, whatever their size. */
#define PULL_MAX_ITEMS 50
/* The most items' bytes one pull answers (a node may ask for less). */
#define PULL_MAX_BYTES (2u << 20)

static void sha256_hex(const char *s, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* ---- hub: publishing ---- */

/* Splits a comma-separated list of agency codes (duplicates and empty
 * entries dropped) into list[0..*n). NULL or absent: *n 0 (every commune). */
static int parse_targets(const char *to, char *buf, size_t size, const char **list,
			 size_t max, size_t *n, mc_err *e)
{
	*n = 0;
	if (!to)
		return MC_OK;
	if (strlen(to) >= size)
		return mc_fail(e, MCE_BAD_FIELD, "danh sách xã quá dài",
			       "the list of communes is too long");
	snprintf(buf, size, "%s", to);
	for (char *p = buf, *t; (t = strsep(&p, ",")) != NULL;) {
		int dup = !*t;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = strcmp(list[i], t) == 0;
		if (dup)
			continue;
		if (*n == max)
			return mc_fail(e, MCE_BAD_FIELD, "gửi cho nhiều nhất %zu xã mỗi lần",
				       "publish to at most %zu communes at once", max);
		list[(*n)++] = t;
	}
	/* A list naming no commune is a mistake, not "every commune". */
	if (*n == 0)
		return mc_fail(e, MCE_BAD_FIELD, "to: chưa ghi mã xã nào (bỏ to để gửi cho mọi xã)",
			       "to: no commune named (leave it out to publish to every commune)");
	return MC_OK;
}

/* The hub's checks of a procedure list: applied as a commune would, then
 * undone (the hub's own list is not changed). */
static int check_catalog(app *a, const app_actor *by, const char *text, size_t len, mc_time now,
			 mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = app_local_apply(a, by, text, len, now, NULL, e);
	st_rollback(a->st);
	return rc;
}

int app_hub_publish(app *a, const app_actor *by, const char *stream, const char *text, size_t len,
		    const char *source, int add, const char *to_list, mc_time now, json_t **out,
		    mc_err *e)
{
	*out = NULL;
	char buf[PUBLISH_MAX_TO * 24];
	const char *to[PUBLISH_MAX_TO];
	size_t nto = 0;
	int calendar = strcmp(stream, "calendar") == 0;
	if (!a->hub)
		return mc_fail(e, MCE_SYNC_NOT_HUB, "đây không phải máy chủ tỉnh",
			       "this node is not a hub");
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống của tỉnh được gửi cho các xã",
			       "only an administrator may publish to the communes");
	if (!calendar && strcmp(stream, "catalog") != 0)
		return mc_fail(e, MCE_BAD_FIELD, "chỉ gửi được lịch nghỉ hoặc danh mục thủ tục",
			       "only a calendar or a catalog can be published");
	if (strlen(source) > 200 || !txt_utf8_valid(source, strlen(source)))
		return mc_fail(e, MCE_BAD_FIELD, "nguồn: tối đa 200 byte văn bản UTF-8",
			       "the source: at most 200 bytes of UTF-8 text");
	int rc = parse_targets(to_list, buf, sizeof buf, to, PUBLISH_MAX_TO, &nto, e);
	for (size_t i = 0; !rc && i < nto; i++)
		if (!app_agency_code_valid(to[i]))
			rc = mc_fail(e, MCE_BAD_FIELD, "mã cơ quan '%.40s' không hợp lệ",
				     "'%.40s' is not an agency code", to[i]);
	if (rc)
		return rc;
	/* The same checks a commune makes when it imports the file itself: a
	 * file it would refuse is refused here, before it goes anywhere. */
	app_cal_import ci;
	memset(&ci, 0, sizeof ci);
	char version[17];
	if (calendar) {
		rc = app_cal_prepare(a, text, len, source, add, &ci, e);
		if (!rc)
			snprintf(version, sizeof version, "%s", ci.version);
	} else {
		rc = check_catalog(a, by, text, len, now, e);
		char h[65];
		sha256_hex(text, len, h);
		snprintf(version, sizeof version, "%.16s", h);
	}
	if (rc)
		return rc;
	json_t *body = json_pack("{s:s%, s:s, s:s}", "csv", text, len, "source", source, "version",
				 version);
	if (body && calendar)
		json_object_set_new(body, "add", json_boolean(add));
	char *bs = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(body);
	if (!bs) {
		if (calendar)
			app_cal_release(&ci);
		return mc_fail(e, MCE_INVALID, "không mã hoá được tệp", "the file cannot be encoded");
	}
	char hash[65];
	sha256_hex(bs, strlen(bs), hash);
	json_t *targets = json_array(), *cursors = json_array();
	rc = st_begin(a->st, e);
	for (size_t i = 0; !rc && i < (nto ? nto : 1); i++) {
		st_hub_item it = { .agency = nto ? to[i] : "*", .stream = stream,
				   .kind = calendar ? "calendar.imported" : "procedure.local",
				   .hash = hash, .body = bs, .actor = by->login, .at = now };
		int64_t cur = 0;
		rc = st_hub_outbox_put(a->st, &it, &cur, e);
		json_array_append_new(targets, json_string(it.agency));
		json_array_append_new(cursors, json_integer(cur));
	}
	json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O}", "stream", stream, "hash", hash,
			      "version", version, "source", source, "to", targets, "cursors",
			      cursors);
	if (calendar)
		json_object_set(p, "years", json_object_get(ci.payload, "years"));
	if (!rc)
		rc = ev_append(a->st, now, by->login, "hub.published", NULL, p, NULL, e);
	rc = st_end(a->st, rc, e);
	free(bs);
	if (calendar)
		app_cal_release(&ci);
	if (!rc) {
		json_object_del(p, "years");
		*out = p;
	} else {
		json_decref(p);
	}
	json_decref(targets);
	json_decref(cursors);
	return rc;
}

/* ---- hub: answering a pull ---- */

typedef struct {
	json_t *items;
	size_t bytes, max;
	int more;
} pull_ctx;

static int pull_one(void *p, const st_hub_item *it)
{
	pull_ctx *c = p;
	size_t n = strlen(it->body);
	if (json_array_size(c->items) > 0 && c->bytes + n > c->max) {
		c->more = 1;
		return 1;
	}
	c->bytes += n;
	json_array_append_new(c->items,
			      json_pack("{s:I, s:s, s:s, s:s, s:s}", "cursor", (json_int_t)it->cursor,
					"stream", it->stream, "kind", it->kind, "hash", it->hash,
					"body", it->body));
	return 0;
}

int app_hub_pull(app *a, const char *key, const char *sig, const void *body, size_t n,
		 mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	int rc = app_hub_admit(a, key, e);
	if (rc)
		return rc;
	rc = batch_verify(APP_SYNC_DOMAIN_NODE, APP_SYNC_PULL_PATH, body, n, key, sig ? sig : "", e);
	if (rc)
		return rc;
	json_error_t je;
	json_t *in = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
	json_t *cur = json_object_get(in, "cursor"), *mb = json_object_get(in, "max_bytes");
	json_t *v = json_object_get(in, "v");
	if (!json_is_object(in) || json_object_size(in) != 3 || !json_is_integer(v) ||
	    json_integer_value(v) != 1 || !json_is_integer(cur) || json_integer_value(cur) < 0 ||
	    !json_is_integer(mb) || json_integer_value(mb) < 1) {
		json_decref(in);
		return mc_fail(e, MCE_SYNC_BAD_BATCH,
			       "yêu cầu lấy dữ liệu phải là {\"v\":1,\"cursor\":N,\"max_bytes\":B}",
			       "a pull is {\"v\":1,\"cursor\":N,\"max_bytes\":B}");
	}
	int64_t after = json_integer_value(cur);
	json_int_t want = json_integer_value(mb);
	json_decref(in);
	pull_ctx c = { .items = json_array(),
		       .max = want < (json_int_t)PULL_MAX_BYTES ? (size_t)want : PULL_MAX_BYTES };
	rc = st_read_begin(a->st, e);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	st_hub_node node;
	int64_t high = 0;
	rc = st_hub_node_by_key(a->st, key, &node, e);
	if (!rc)
		rc = st_hub_outbox_high(a->st, node.agency, &high, e);
	if (!rc)
		rc = st_hub_outbox_list(a->st, node.agency, after, PULL_MAX_ITEMS, pull_one, &c, e);
	json_t *head = rc ? NULL : app_hub_head_json(a, &node, now);
	st_read_end(a->st);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	if (!c.more && json_array_size(c.items) == PULL_MAX_ITEMS) {
		json_t *last = json_array_get(c.items, PULL_MAX_ITEMS - 1);
		c.more = json_integer_value(json_object_get(last, "cursor")) < high;
	}
	*out = json_pack("{s:o, s:I, s:o, s:b}", "head", head, "high", (json_int_t)high, "items",
			 c.items, "more", c.more);
	return MC_OK;
}

/* ---- node: applying what was pulled ---- */

/* The province's agency list: each agency this node does not know, or
 * knows by another name, is added with an agency.added event by hub. */
static int apply_agencies(app *a, const json_t *b, mc_time now, int64_t *seq, const char **why,
			  mc_err *e)
{
	const json_t *list = json_object_get(b, "agencies");
	const char *parent = json_string_value(json_object_get(b, "parent"));
	if (!json_is_array(list)) {
		*why = "the item is not an agency list";
		return MC_OK;
	}
	size_t i;
	const json_t *ag;
	int rc = MC_OK;
	json_array_foreach(list, i, ag)
	{
		const char *code = json_string_value(json_object_get(ag, "code"));
		const char *name = json_string_value(json_object_get(ag, "name"));
		const char *kind = json_string_value(json_object_get(ag, "kind"));
		mc_err ig;
		if (!code || !name || !kind || !app_agency_code_valid(code) ||
		    strcmp(code, a->agency) == 0 || txt_check_field("name", name, 200, 1, 0, &ig))
			continue;
		char held[256] = "";
		if (st_agency_get(a->st, code, held, sizeof held, &ig) == MC_OK &&
		    strcmp(held, name) == 0)
			continue;
		const char *up = strcmp(code, parent ? parent : "") == 0 ? NULL : parent;
		rc = st_agency_put(a->st, code, name, kind, up, 0, e);
		json_t *p = json_pack("{s:s, s:s, s:s, s:s?}", "code", code, "name", name, "kind",
				      kind, "parent", up);
		if (!rc)
			rc = ev_append(a->st, now, "hub", "agency.added", NULL, p, seq, e);
		json_decref(p);
		if (rc)
			break;
	}
	return rc;
}

/* Applies one item inside the caller's transaction. OUT: *seq the event
 * that applied it (0: skipped), *calendar 1 when the calendar changed. */
static int apply_item(app *a, const json_t *it, int64_t cursor, const char *hash,
		      const char *stream, const char *bs, mc_time now, int64_t *seq,
		      int *calendar, mc_err *e)
{
	*seq = 0;
	json_error_t je;
	json_t *b = json_loads(bs, 0, &je);
	const char *why = NULL; /* static text, pe's message or wbuf: they live as long */
	mc_err pe;
	char wbuf[300];
	int rc = MC_OK;
	if (strcmp(stream, "calendar") == 0) {
		const char *csv = json_string_value(json_object_get(b, "csv"));
		const char *source = json_string_value(json_object_get(b, "source"));
		app_cal_import ci;
		if (!csv || !source) {
			why = "the item is not a schedule";
		} else if (app_cal_prepare(a, csv, json_string_length(json_object_get(b, "csv")),
					   source, json_is_true(json_object_get(b, "add")), &ci,
					   &pe) != MC_OK) {
			why = mc_errmsg(&pe, 0);
		} else {
			json_object_set_new(ci.payload, "published",
					    json_pack("{s:I, s:s}", "cursor", (json_int_t)cursor,
						      "hash", hash));
			rc = app_cal_write(a, "hub", &ci, now, seq, e);
			app_cal_release(&ci);
			*calendar = 1;
		}
	} else if (strcmp(stream, "agencies") == 0) {
		rc = apply_agencies(a, b, now, seq, &why, e);
	} else if (strcmp(stream, "catalog") == 0) {
		const char *csv = json_string_value(json_object_get(b, "csv"));
		app_actor hub;
		memset(&hub, 0, sizeof hub);
		snprintf(hub.login, sizeof hub.login, "hub");
		snprintf(hub.name, sizeof hub.name, "Máy chủ tỉnh");
		hub.role = ROLE_ADMIN;
		snprintf(hub.agency, sizeof hub.agency, "%s", a->agency);
		int changed = 0;
		if (!csv) {
			why = "the item is not a procedure list";
		} else if ((rc = st_savepoint(a->st, e)) == MC_OK) {
			/* A list this commune cannot take (a procedure missing from
			 * its catalog) is undone and skipped, the rest flows. */
			int arc = app_local_apply(a, &hub, csv,
						  json_string_length(json_object_get(b, "csv")), now,
						  &changed, &pe);
			if (arc == MC_EINVAL || arc == MC_ENOTFOUND || arc == MC_ECONFLICT) {
				st_savepoint_undo(a->st);
				why = mc_errmsg(&pe, 0);
			} else if (arc) {
				st_savepoint_undo(a->st);
				*e = pe;
				rc = arc;
			} else {
				rc = st_savepoint_release(a->st, e);
				if (!rc)
					rc = ev_count(a->st, seq, e);
			}
		}
	} else if (strcmp(stream, "transfers") == 0 || strcmp(stream, "submissions") == 0) {
		const char *from = json_string_value(json_object_get(b, "from"));
		rc = app_dossier_in(a, json_object_get(b, "dossier"), stream[0] == 's',
				    from ? from : "hub", cursor, hash, now, seq, &why, e);
	} else if (strcmp(stream, "tasks") == 0) {
		/* A province task for this commune, or its review (docs/tasks.md). */
		const char *kind = json_string_value(json_object_get(it, "kind"));
		int skipped = 0;
		rc = app_task_item(a, kind ? kind : "", b, cursor, hash, now, seq, &skipped, &pe, e);
		if (!rc && skipped)
			why = mc_errmsg(&pe, 0);
	} else if (strcmp(stream, "recommendations") == 0) {
		rc = app_rec_pull_item(a, json_string_value(json_object_get(it, "kind")), b, cursor,
				       hash, now, seq, wbuf, sizeof wbuf, e);
		if (!rc && wbuf[0])
			why = wbuf;
	} else {
		why = "this version does not know the stream";
	}
	if (!rc && why) {
		/* Kept in the log, so the commune sees what it did not apply. */
		json_t *p = json_pack("{s:I, s:s, s:s, s:s}", "cursor", (json_int_t)cursor, "hash",
				      hash, "stream", stream, "reason", why);
		rc = ev_append(a->st, now, "hub", "sync.item_skipped", NULL, p, seq, e);
		json_decref(p);
	}
	json_decref(b);
	return rc;
}

/* Applies the items from *next in one transaction with the new cursor, up
 * to and including the first that changes the calendar: an added schedule
 * is laid over the calendar in memory (a->sched), which only a refresh
 * after the commit brings up to date, so the next schedule must wait for
 * it (two in one transaction: the second drops the days of the first).
 * OUT: *next the first item not yet applied. */
static int apply_some(app *a, const json_t *answer, const json_t *items, size_t *next,
		      mc_time now, int *applied, int64_t *high, mc_err *e)
{
	int rc = st_begin(a->st, e), calendar = 0;
	char cb[32];
	int64_t cursor = 0;
	if (!rc) {
		char *v = NULL;
		if (st_sync_get(a->st, "pull_cursor", &v, e) == MC_OK)
			cursor = strtoll(v, NULL, 10);
		free(v);
	}
	size_t i, n = json_array_size(items);
	for (i = *next; i < n && !calendar; i++) {
		const json_t *it = json_array_get(items, i);
		if (rc)
			break;
		json_int_t c = json_integer_value(json_object_get(it, "cursor"));
		const char *hash = json_string_value(json_object_get(it, "hash"));
		const char *stream = json_string_value(json_object_get(it, "stream"));
		const char *kind = json_string_value(json_object_get(it, "kind"));
		const char *bs = json_string_value(json_object_get(it, "body"));
		char h[65];
		if (!hash || !stream || !kind || !bs || c <= cursor) {
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "mục %zu của phản hồi không hợp lệ",
				     "item %zu of the pull answer is not valid", i);
			break;
		}
		sha256_hex(bs, strlen(bs), h);
		if (strcmp(h, hash) != 0) {
			rc = mc_fail(e, MCE_SYNC_BAD_ANSWER, "mục %lld có mã băm sai",
				     "item %lld does not match its hash", (long long)c);
			break;
		}
		cursor = c;
		int seen = 0;
		rc = st_sync_item_seen(a->st, hash, &seen, e);
		if (rc || seen)
			continue;
		int64_t seq = 0;
		rc = apply_item(a, it, c, hash, stream, bs, now, &seq, &calendar, e);
		if (!rc)
			rc = st_sync_item_put(a->st, hash, c, stream, kind, seq, now, e);
		if (!rc)
			(*applied)++;
	}
	/* A hub restored from a backup may hold fewer items than this node
	 * applied: ask again from its newest (items held are known by hash). */
	if (!rc && *high < cursor && json_array_size(items) == 0)
		cursor = *high;
	if (!rc)
		rc = app_sync_record_head(a, json_object_get(answer, "head"), now, e);
	if (!rc)
		rc = app_sync_record_ok(a, 0, now, e);
	snprintf(cb, sizeof cb, "%lld", (long long)cursor);
	if (!rc)
		rc = st_sync_set(a->st, "pull_cursor", cb, e);
	rc = st_end(a->st, rc, e);
	if (!rc && calendar) {
		app_cal_changed();
		rc = app_refresh(a, e);
	}
	*next = i;
	return rc;
}

int app_sync_apply_pull(app *a, const json_t *answer, mc_time now, int *applied, int64_t *high,
			mc_err *e)
{
	*applied = 0;
	const json_t *items = json_object_get(answer, "items");
	*high = json_integer_value(json_object_get(answer, "high"));
	if (!json_is_array(items))
		return mc_fail(e, MCE_SYNC_BAD_ANSWER, "phản hồi lấy dữ liệu thiếu danh sách mục",
			       "the pull answer has no items");
	size_t next = 0;
	int rc;
	do
		rc = apply_some(a, answer, items, &next, now, applied, high, e);
	while (!rc && next < json_array_size(items));
	return rc;
}
