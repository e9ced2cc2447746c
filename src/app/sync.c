/*
 * sync.c - the commune node's side of sync (docs/sync.md §3, §5, §6): its
 * enrolment, the batches it sends after the hub's acknowledgement, and what
 * it records of the answers. Nothing on the node is deleted or marked sent:
 * "sent" is seq <= sync_state.acked_seq, and that number only ever comes
 * from the hub's own head.
 */
#include "app/app_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "app/sync.h"
#include "store/ev.h"
#include "store/st_sync.h"
#include "store/st_syncfiles.h"
#include "sync/batch.h"

/* The batch size a node starts with and its bounds (docs/sync.md §5.4). */
#define BATCH_START (64u << 10)
#define BATCH_MAX (4u << 20)
#define BATCH_MIN 512u

int app_node_secret(app *a, unsigned char sk[64], mc_err *e)
{
	char path[600], hex[2 * 64 + 8];
	snprintf(path, sizeof path, "%s/node.key", a->dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mc_fail(e, MCE_NODE_IO, "không đọc được khoá của máy '%s': %s",
			       "cannot read the node key '%s': %s", path, strerror(errno));
	ssize_t n = read(fd, hex, sizeof hex - 1);
	close(fd);
	int ok = n >= 128 && sodium_hex2bin(sk, 64, hex, 128, NULL, NULL, NULL) == 0;
	sodium_memzero(hex, sizeof hex);
	if (!ok)
		return mc_fail(e, MCE_NODE_IO, "tệp khoá '%s' hỏng", "the key file '%s' is damaged",
			       path);
	return MC_OK;
}

int app_node_sign(app *a, const char *path, const void *data, size_t n, char sig[129], mc_err *e)
{
	unsigned char sk[64];
	int rc = app_node_secret(a, sk, e);
	if (!rc)
		batch_sign(APP_SYNC_DOMAIN_NODE, path, data, n, sk, sig);
	sodium_memzero(sk, sizeof sk);
	return rc;
}

/* ---- sync_state helpers ---- */

static int64_t state_int(app *a, const char *key, int64_t dflt)
{
	char *v = NULL;
	mc_err ignored;
	if (st_sync_get(a->st, key, &v, &ignored))
		return dflt;
	char *end;
	long long x = strtoll(v, &end, 10);
	int ok = *v && !*end;
	free(v);
	return ok ? (int64_t)x : dflt;
}

static void state_str(app *a, const char *key, char *out, size_t size)
{
	char *v = NULL;
	mc_err ignored;
	out[0] = 0;
	if (st_sync_get(a->st, key, &v, &ignored))
		return;
	snprintf(out, size, "%s", v);
	free(v);
}

static int set_int(app *a, const char *key, int64_t v, mc_err *e)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", (long long)v);
	return st_sync_set(a->st, key, t, e);
}

static int not_enrolled(mc_err *e)
{
	return mc_fail(e, MCE_SYNC_NOT_ENROLLED,
		       "máy xã chưa đăng ký với máy chủ tỉnh: chạy motcua enrol --hub URL",
		       "this node has not enrolled with a hub: run motcua enrol --hub URL");
}

/* ---- enrolment ---- */

int app_sync_enrol_body(app *a, json_t **out, mc_err *e)
{
	*out = NULL;
	unsigned char sk[64], sig[crypto_sign_BYTES];
	int rc = app_node_secret(a, sk, e);
	if (rc)
		return rc;
	char msg[160], hex[2 * crypto_sign_BYTES + 1];
	snprintf(msg, sizeof msg, "motcua-enrol-v1\n%s\n%s\n", a->agency, a->pubkey);
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), sk);
	sodium_memzero(sk, sizeof sk);
	sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
	*out = json_pack("{s:i, s:s, s:s, s:s, s:s}", "v", 1, "agency", a->agency, "name",
			 a->agency_name, "key", a->pubkey, "proof", hex);
	return *out ? MC_OK : mc_fail(e, MCE_INTERNAL, "không lập được yêu cầu đăng ký",
				      "cannot build the enrolment request");
}

int app_sync_enrolled(app *a, const char *url, const json_t *answer, mc_time now, mc_err *e)
{
	const char *hub_key = json_string_value(json_object_get(answer, "hub_key"));
	const char *hub_agency = json_string_value(json_object_get(answer, "hub_agency"));
	const char *epoch = json_string_value(json_object_get(answer, "epoch"));
	json_t *chain = json_object_get(answer, "chain");
	if (!hub_key || strlen(hub_key) != 64 || !hub_agency || !epoch || strlen(epoch) != 32 ||
	    !json_is_integer(chain) || json_integer_value(chain) < 1)
		return mc_fail(e, MCE_SYNC_BAD_ANSWER, "máy chủ tỉnh trả lời đăng ký không đúng",
			       "the hub's enrolment answer is malformed");
	char pinned[65];
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	state_str(a, "hub_key", pinned, sizeof pinned);
	if (pinned[0] && strcmp(pinned, hub_key) != 0)
		rc = mc_fail(e, MCE_SYNC_HUB_KEY_MISMATCH,
			     "máy chủ tỉnh có khoá khác khoá đã đăng ký (%.16s…)",
			     "the hub's key differs from the one enrolled with (%.16s…)", pinned);
	const char *kv[][2] = { { "hub_url", url }, { "hub_key", hub_key },
				{ "hub_agency", hub_agency }, { "epoch", epoch } };
	for (size_t i = 0; !rc && i < MC_ARRAY_LEN(kv); i++)
		rc = st_sync_set(a->st, kv[i][0], kv[i][1], e);
	if (!rc)
		rc = set_int(a, "chain", json_integer_value(chain), e);
	json_t *p = json_pack("{s:s, s:s, s:s, s:I}", "hub_url", url, "hub_key", hub_key,
			      "hub_agency", hub_agency, "chain", json_integer_value(chain));
	if (!rc)
		rc = ev_append(a->st, now, "system", "node.enrolled", NULL, p, NULL, e);
	json_decref(p);
	return st_end(a->st, rc, e);
}

int app_sync_config(app *a, app_sync_cfg *out, mc_err *e)
{
	memset(out, 0, sizeof *out);
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	state_str(a, "hub_url", out->url, sizeof out->url);
	state_str(a, "hub_key", out->hub_key, sizeof out->hub_key);
	out->acked_seq = state_int(a, "acked_seq", 0);
	out->stopped = (int)state_int(a, "stopped", 0);
	out->batch_bytes = (size_t)state_int(a, "batch_bytes", BATCH_START);
	out->pull_cursor = state_int(a, "pull_cursor", 0);
	rc = ev_count(a->st, &out->local_seq, e);
	int64_t bytes, refused, sent;
	if (!rc)
		rc = st_sfile_counts(a->st, &out->files_waiting, &bytes, &refused, &sent, e);
	st_read_end(a->st);
	return rc;
}

/* ---- pulls ---- */

int app_sync_pull_body(app *a, size_t max_bytes, char **body, char sig[129], mc_err *e)
{
	*body = NULL;
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	int64_t cursor = state_int(a, "pull_cursor", 0);
	st_read_end(a->st);
	json_t *j = json_pack("{s:i, s:I, s:I}", "v", 1, "cursor", (json_int_t)cursor, "max_bytes",
			      (json_int_t)max_bytes);
	char *b = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!b)
		return mc_fail(e, MCE_INTERNAL, "không mã hoá được yêu cầu lấy dữ liệu",
			       "cannot encode the pull");
	rc = app_node_sign(a, APP_SYNC_PULL_PATH, b, strlen(b), sig, e);
	if (rc)
		free(b);
	else
		*body = b;
	return rc;
}

/* ---- batches ---- */

typedef struct {
	batch_builder *b;
	int64_t last;
	char last_hash[65];
	int full;
} next_ctx;

static int add_event(void *p, const ev_event *ev)
{
	next_ctx *c = p;
	batch_event be = { .seq = ev->seq, .at = ev->at, .actor = ev->actor, .kind = ev->kind,
			   .dossier = ev->dossier, .payload = ev->payload,
			   .prev_hash = ev->prev_hash };
	if (batch_add(c->b, &be) != MC_OK) {
		c->full = 1;
		return 1;
	}
	c->last = ev->seq;
	return 0;
}

int app_sync_next_batch(app *a, size_t max_bytes, mc_time now, char **body, size_t *n,
			char sig[129], int64_t *last, mc_err *e)
{
	*body = NULL;
	*n = 0;
	*last = 0;
	sig[0] = 0;
	batch_hdr h;
	memset(&h, 0, sizeof h);
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	char url[512];
	state_str(a, "hub_url", url, sizeof url);
	if (!url[0]) {
		st_read_end(a->st);
		return not_enrolled(e);
	}
	h.v = 1;
	snprintf(h.agency, sizeof h.agency, "%s", a->agency);
	snprintf(h.key, sizeof h.key, "%s", a->pubkey);
	state_str(a, "epoch", h.epoch, sizeof h.epoch);
	h.chain = state_int(a, "chain", 1);
	h.base_seq = state_int(a, "acked_seq", 0);
	state_str(a, "acked_hash", h.base_hash, sizeof h.base_hash);
	if (!h.base_hash[0] || h.base_seq == 0)
		snprintf(h.base_hash, sizeof h.base_hash, "%s", EV_ZERO_HASH);
	char at[26];
	cal_format_iso(now, at);
	snprintf(h.sent_at, sizeof h.sent_at, "%s", at);
	batch_builder b;
	batch_init(&b, max_bytes, APP_SYNC_MAX_EVENTS);
	next_ctx c = { .b = &b };
	rc = ev_list(a->st, h.base_seq, APP_SYNC_MAX_EVENTS, add_event, &c, e);
	st_read_end(a->st);
	if (rc || c.last == 0) {
		batch_release(&b);
		return rc;
	}
	sb plain, z;
	sb_init(&plain, APP_SYNC_MAX_PLAIN);
	sb_init(&z, APP_SYNC_MAX_BODY);
	rc = batch_finish(&b, &h, &plain, e);
	batch_release(&b);
	if (!rc)
		rc = batch_compress(sb_str(&plain), plain.len, &z, e);
	if (!rc)
		rc = app_node_sign(a, APP_SYNC_PUSH_PATH, sb_str(&plain), plain.len, sig, e);
	if (!rc) {
		*n = z.len;
		*body = mc_xmalloc(z.len ? z.len : 1);
		memcpy(*body, sb_str(&z), z.len);
		*last = c.last;
	}
	sb_release(&plain);
	sb_release(&z);
	return rc;
}

int app_sync_check_answer(app *a, const char *path, const void *body, size_t n, const char *sig,
			  mc_err *e)
{
	char key[65];
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	state_str(a, "hub_key", key, sizeof key);
	st_read_end(a->st);
	if (!key[0])
		return not_enrolled(e);
	rc = batch_verify(APP_SYNC_DOMAIN_HUB, path, body, n, key, sig ? sig : "", e);
	if (rc)
		return mc_fail(e, MCE_SYNC_HUB_KEY_MISMATCH,
			       "phản hồi không mang chữ ký đúng của máy chủ tỉnh",
			       "the answer is not signed by the hub's key");
	return MC_OK;
}

/* ---- recording answers ---- */

/* Refusals a retry cannot fix: rounds stop until an administrator acts.
 * A key not approved yet is not one of them: the province approves it in
 * its own time, and the node's rounds (backing off) start syncing then. */
static int stops(const char *code)
{
	static const char *const hard[] = { "sync.unknown_key", "sync.key_revoked", "sync.bad_signature",
					    "sync.chain_broken", "sync.fork",
					    "sync.agency_mismatch", "sync.hub_key_mismatch" };
	for (size_t i = 0; code && i < MC_ARRAY_LEN(hard); i++)
		if (strcmp(code, hard[i]) == 0)
			return 1;
	return 0;
}

static size_t clamp_batch(size_t b)
{
	return b < BATCH_MIN ? BATCH_MIN : b > BATCH_MAX ? BATCH_MAX : b;
}

static int record_error(app *a, const char *code, const char *msg, mc_time now, mc_err *e)
{
	int rc = st_sync_set(a->st, "last_error_code", code, e);
	if (!rc)
		rc = st_sync_set(a->st, "last_error_msg", msg ? msg : "", e);
	if (!rc)
		rc = set_int(a, "last_error_at", now, e);
	if (!rc)
		rc = set_int(a, "failures", state_int(a, "failures", 0) + 1, e);
	if (!rc && stops(code))
		rc = set_int(a, "stopped", 1, e);
	return rc;
}

int app_sync_record_head(app *a, const json_t *head, mc_time now, mc_err *e)
{
	/* This node's clock against the hub's (docs/sync.md §6.6): shown as a
	 * warning over SYNC_SKEW_WARN_S, never a refusal. */
	const char *hub_now = json_string_value(json_object_get(head, "now"));
	if (hub_now) {
		int rc = set_int(a, "skew_s", -app_clock_skew(hub_now, now), e);
		if (rc)
			return rc;
	}
	json_t *acked = json_object_get(head, "acked_seq");
	const char *acked_hash = json_string_value(json_object_get(head, "acked_hash"));
	const char *epoch = json_string_value(json_object_get(head, "epoch"));
	if (!json_is_integer(acked) || !acked_hash || strlen(acked_hash) != 64)
		return MC_OK;
	int64_t before = state_int(a, "acked_seq", 0), got = json_integer_value(acked);
	int64_t local = 0;
	int rc = ev_count(a->st, &local, e);
	/* A head beyond this node's own log is not from its hub's view of
	 * this chain: keep what we have. */
	if (rc || got < 0 || got > local)
		return rc;
	if (got < before) {
		char m[200];
		snprintf(m, sizeof m,
			 "the hub holds up to event %lld, it had acknowledged %lld: "
			 "sending again from there",
			 (long long)got, (long long)before);
		rc = st_sync_set(a->st, "hub_behind", m, e);
	}
	if (!rc)
		rc = set_int(a, "acked_seq", got, e);
	if (!rc)
		rc = st_sync_set(a->st, "acked_hash", acked_hash, e);
	if (!rc && epoch && strlen(epoch) == 32)
		rc = st_sync_set(a->st, "epoch", epoch, e);
	return rc;
}

int app_sync_record_ok(app *a, size_t batch_bytes, mc_time now, mc_err *e)
{
	int rc = set_int(a, "last_ok_at", now, e);
	if (!rc)
		rc = set_int(a, "failures", 0, e);
	if (!rc)
		rc = st_sync_set(a->st, "last_error_code", "", e);
	if (!rc && batch_bytes)
		rc = set_int(a, "batch_bytes", (int64_t)clamp_batch(batch_bytes * 2), e);
	/* Caught up again after a hub that went back: the warning is done. */
	int64_t local = 0;
	if (!rc)
		rc = ev_count(a->st, &local, e);
	if (!rc && state_int(a, "acked_seq", 0) == local)
		rc = st_sync_set(a->st, "hub_behind", "", e);
	return rc;
}

int app_sync_record(app *a, int http_status, const json_t *answer, const char *err_code,
		    const char *err_msg, size_t batch_bytes, mc_time now, mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = set_int(a, "last_try_at", now, e);
	if (!rc)
		rc = app_sync_record_head(a, json_object_get(answer, "head"), now, e);
	const json_t *vs = json_object_get(answer, "verdicts");
	size_t i;
	const json_t *v;
	json_array_foreach(vs, i, v) {
		json_t *seq = json_object_get(v, "seq");
		const char *verdict = json_string_value(json_object_get(v, "verdict"));
		const char *code = json_string_value(json_object_get(v, "code"));
		const char *msg = json_string_value(json_object_get(v, "message"));
		if (!rc && json_is_integer(seq) && verdict && code)
			rc = st_sync_verdict_put(a->st, json_integer_value(seq), verdict, code,
						 msg ? msg : "", now, e);
	}
	if (!rc && http_status == 200 && !err_code) {
		rc = app_sync_record_ok(a, batch_bytes, now, e);
	} else if (!rc) {
		rc = record_error(a, err_code ? err_code : "sync.bad_answer", err_msg, now, e);
	}
	return st_end(a->st, rc, e);
}

int app_sync_failed(app *a, const char *code, const char *msg, size_t batch_bytes, mc_time now,
		    mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = set_int(a, "last_try_at", now, e);
	if (!rc)
		rc = record_error(a, code, msg, now, e);
	/* A cut or a timeout: the next batch is half as large (§5.4). */
	if (!rc && strcmp(code, "sync.unreachable") == 0)
		rc = set_int(a, "batch_bytes", (int64_t)clamp_batch(batch_bytes / 2), e);
	return st_end(a->st, rc, e);
}

int app_sync_resume(app *a, mc_err *e)
{
	int rc = st_begin(a->st, e);
	if (!rc)
		rc = set_int(a, "stopped", 0, e);
	return st_end(a->st, rc, e);
}

/* ---- status ---- */

static int verdict_one(void *p, int64_t seq, const char *verdict, const char *code,
		       const char *message, mc_time at)
{
	json_array_append_new(p, json_pack("{s:I, s:s, s:s, s:s}", "seq", (json_int_t)seq,
					   "verdict", verdict, "code", code, "message", message));
	return 0;
}

static json_t *time_or_null(int64_t t)
{
	char iso[26];
	if (t <= 0)
		return json_null();
	cal_format_iso(t, iso);
	return json_string(iso);
}

/* A node is offline for the UI when its last round failed or its last
 * success is older than this. */
#define OFFLINE_AFTER (10 * 60)
/* A clock further than this from the hub's is shown as a warning (§6.6). */
#define SKEW_WARN_S (5 * 60)

int app_sync_status(app *a, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	char url[512], code[64], msg[512], behind[256];
	state_str(a, "hub_url", url, sizeof url);
	state_str(a, "last_error_code", code, sizeof code);
	state_str(a, "last_error_msg", msg, sizeof msg);
	state_str(a, "hub_behind", behind, sizeof behind);
	int64_t acked = state_int(a, "acked_seq", 0), local = 0;
	int64_t ok_at = state_int(a, "last_ok_at", 0), try_at = state_int(a, "last_try_at", 0);
	int64_t failures = state_int(a, "failures", 0), stopped = state_int(a, "stopped", 0);
	int64_t skew = state_int(a, "skew_s", 0);
	rc = ev_count(a->st, &local, e);
	json_t *verdicts = json_array(), *files = NULL;
	if (!rc)
		rc = st_sync_verdict_list(a->st, verdict_one, verdicts, e);
	if (!rc)
		rc = app_sync_files_status(a, &files, e);
	st_read_end(a->st);
	if (rc) {
		json_decref(verdicts);
		return rc;
	}
	int enrolled = url[0] != 0;
	int64_t waiting = local > acked ? local - acked : 0;
	int offline = enrolled && (code[0] || (waiting > 0 && (ok_at == 0 || now - ok_at > OFFLINE_AFTER)));
	/* hub_url and hub_behind are left out when unset (strings in the contract, never null). */
	*out = json_pack("{s:b, s:s*, s:s, s:I, s:I, s:I, s:o, s:o, s:I, s:o, s:b, s:b, s:s*, s:o}",
			 "enrolled", enrolled, "hub_url", enrolled ? url : NULL, "agency",
			 a->agency, "acked_seq", (json_int_t)acked, "local_seq", (json_int_t)local,
			 "waiting", (json_int_t)waiting, "last_ok_at", time_or_null(ok_at),
			 "last_try_at", time_or_null(try_at), "failures", (json_int_t)failures,
			 "last_error",
			 code[0] ? json_pack("{s:s, s:s}", "code", code, "message", msg) : json_null(),
			 "stopped", stopped != 0, "offline", offline, "hub_behind",
			 behind[0] ? behind : NULL, "verdicts", verdicts);
	json_t *warnings = json_array();
	if (enrolled && (skew > SKEW_WARN_S || skew < -SKEW_WARN_S)) {
		int64_t m = (skew < 0 ? -skew : skew) / 60;
		char text[300];
		snprintf(text, sizeof text,
			 "Đồng hồ máy này %s %lld giờ %lld phút so với máy chủ tỉnh: thời hạn "
			 "xử lý được tính theo đồng hồ này, hãy chỉnh lại giờ máy",
			 skew > 0 ? "nhanh" : "chậm", (long long)(m / 60), (long long)(m % 60));
		json_array_append_new(warnings, json_pack("{s:s, s:s}", "code", "sync.clock_skew",
							  "message", text));
	}
	json_object_set_new(*out, "clock_skew_s", json_integer(skew));
	json_object_set_new(*out, "files", files);
	json_object_set_new(*out, "warnings", warnings);
	return MC_OK;
}
