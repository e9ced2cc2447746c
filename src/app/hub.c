/*
 * hub.c - the provincial hub's side of sync (docs/sync.md §3, §5, §7.1):
 * enrolment and approval of commune nodes, and the push of their events.
 * A batch is checked whole (transport, signature, chain, continuity)
 * before anything is written; then every new event is stored as signed
 * and its business rules give it a verdict of its own, so one event the
 * hub cannot apply never blocks the ones after it.
 */
#include "app/app_int.h"
#include "app/attach.h"
#include "app/recommend.h"
#include "app/tasks_int.h"

#include <sodium.h>

#include "app/sync.h"
#include "core/txt.h"
#include "store/ev.h"
#include "store/st_sync.h"
#include "sync/batch.h"

int app_is_hub(const app *a)
{
	return a->hub;
}

const char *app_pubkey(const app *a)
{
	return a->pubkey;
}

const char *app_hub_epoch(const app *a)
{
	return a->epoch;
}

static int not_hub(mc_err *e)
{
	return mc_fail(e, MCE_SYNC_NOT_HUB, "máy này không phải máy chủ đồng bộ của tỉnh",
		       "this server is not a provincial hub");
}

static json_t *node_json(const st_hub_node *n)
{
	char at[26] = "", dec[26] = "", push[26] = "";
	if (n->enrolled_at)
		cal_format_iso(n->enrolled_at, at);
	if (n->decided_at)
		cal_format_iso(n->decided_at, dec);
	if (n->last_push_at)
		cal_format_iso(n->last_push_at, push);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s?, s:I, s:s, s:I, s:I}",
			 "agency", n->agency, "chain", (json_int_t)n->chain, "key", n->key, "name",
			 n->name, "status", n->status, "enrolled_at", at, "decided_at",
			 n->decided_at ? dec : NULL, "decided_by", n->decided_by, "last_push_at",
			 n->last_push_at ? push : NULL, "acked_seq", (json_int_t)n->acked_seq,
			 "acked_hash", n->acked_hash, "clock_skew_s", (json_int_t)n->clock_skew_s,
			 "rejected", (json_int_t)n->rejected);
}

/* ---- enrolment ---- */

static int enrol_field(const json_t *in, const char *key, size_t max, const char **out, mc_err *e)
{
	const json_t *v = json_object_get(in, key);
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max)
		return mc_fail(e, MCE_BAD_FIELD, "thiếu hoặc sai trường '%s'",
			       "field '%s' is missing or wrong", key);
	*out = json_string_value(v);
	return MC_OK;
}

int app_hub_enrol(app *a, const json_t *in, mc_time now, json_t **out, int *created, mc_err *e)
{
	*out = NULL;
	*created = 0;
	if (!a->hub)
		return not_hub(e);
	const char *agency, *name, *key, *proof;
	int rc = enrol_field(in, "agency", 40, &agency, e);
	if (!rc)
		rc = enrol_field(in, "name", 200, &name, e);
	if (!rc)
		rc = enrol_field(in, "key", 64, &key, e);
	if (!rc)
		rc = enrol_field(in, "proof", 128, &proof, e);
	if (rc)
		return rc;
	const json_t *v = json_object_get(in, "v");
	if (!json_is_integer(v) || json_integer_value(v) != 1 || json_object_size(in) != 5)
		return mc_fail(e, MCE_BAD_FIELD, "yêu cầu đăng ký phải có v=1 và đúng 5 trường",
			       "an enrolment has v=1 and exactly five fields");
	if (!app_agency_code_valid(agency))
		return mc_fail(e, MCE_AGENCY_BAD_CODE, "mã cơ quan '%s' không hợp lệ",
			       "agency code '%s' is not valid", agency);
	rc = txt_check_field("name", name, 200, 1, 0, e);
	if (rc)
		return rc;
	if (!batch_is_hex(key, 64) || !batch_is_hex(proof, 128))
		return mc_fail(e, MCE_BAD_FIELD, "khoá hoặc chữ ký không phải chuỗi hex thường",
			       "key or proof is not lowercase hex");
	/* The proof shows the sender holds the key it enrols. */
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	sodium_hex2bin(pk, sizeof pk, key, 64, NULL, NULL, NULL);
	sodium_hex2bin(sig, sizeof sig, proof, 128, NULL, NULL, NULL);
	char msg[160];
	snprintf(msg, sizeof msg, "motcua-enrol-v1\n%s\n%s\n", agency, key);
	if (crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk) != 0)
		return mc_fail(e, MCE_SYNC_BAD_SIGNATURE,
			       "chữ ký đăng ký không khớp khoá: máy gửi không giữ khoá này",
			       "the enrolment proof does not verify: the sender does not hold the key");
	st_hub_node n;
	rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = st_hub_node_by_key(a->st, key, &n, e);
	if (rc == MC_ENOTFOUND) {
		memset(&n, 0, sizeof n);
		snprintf(n.agency, sizeof n.agency, "%s", agency);
		snprintf(n.key, sizeof n.key, "%s", key);
		snprintf(n.name, sizeof n.name, "%s", name);
		snprintf(n.status, sizeof n.status, "pending");
		snprintf(n.acked_hash, sizeof n.acked_hash, "%s", EV_ZERO_HASH);
		n.enrolled_at = now;
		rc = st_hub_chain_next(a->st, agency, &n.chain, e);
		if (!rc)
			rc = st_hub_node_insert(a->st, &n, e);
		json_t *p = json_pack("{s:s, s:I, s:s, s:s}", "agency", agency, "chain",
				      (json_int_t)n.chain, "key", key, "name", name);
		if (!rc)
			rc = ev_append(a->st, now, "system", "node.enrolled", NULL, p, NULL, e);
		json_decref(p);
		if (!rc)
			*created = 1;
	} else if (!rc && strcmp(n.agency, agency) != 0) {
		rc = mc_fail(e, MCE_SYNC_ENROL_EXISTS, "khoá này đã đăng ký cho cơ quan %s",
			     "this key is enrolled for agency %s", n.agency);
	}
	rc = st_end(a->st, rc, e);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:s, s:s, s:I, s:s}", "hub_key", a->pubkey, "hub_agency",
			 a->agency, "epoch", a->epoch, "chain", (json_int_t)n.chain, "status",
			 n.status);
	return MC_OK;
}

typedef struct {
	json_t *arr;
} list_ctx;

static int list_one(void *p, const st_hub_node *n)
{
	list_ctx *c = p;
	json_array_append_new(c->arr, node_json(n));
	return 0;
}

int app_hub_nodes(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	if (!a->hub)
		return not_hub(e);
	if (by->role != ROLE_ADMIN && by->role != ROLE_SUPERVISOR)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị và giám sát xem được danh sách máy xã",
			       "only an administrator or supervisor may list nodes");
	list_ctx c = { json_array() };
	int rc = st_hub_node_list(a->st, list_one, &c, e);
	if (rc) {
		json_decref(c.arr);
		return rc;
	}
	*out = json_pack("{s:o}", "nodes", c.arr);
	return MC_OK;
}

static int agency_one(void *p, const char *code, const char *name, const char *kind,
		      int is_self)
{
	json_array_append_new(p, json_pack("{s:s, s:s, s:s}", "code", code, "name", name, "kind",
					   kind));
	return 0;
}

/* Inside the caller's transaction: the hub's agency list (the province and
 * its approved communes) in the agencies stream, for every commune. */
static int publish_agencies(app *a, const app_actor *by, mc_time now, mc_err *e)
{
	json_t *list = json_array();
	int rc = st_agency_list(a->st, agency_one, list, e);
	json_t *b = rc ? NULL : json_pack("{s:o, s:s}", "agencies", list, "parent", a->agency);
	if (rc)
		json_decref(list);
	char *bs = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(b);
	if (!rc && !bs)
		rc = mc_fail(e, MCE_INTERNAL, "không mã hoá được danh sách cơ quan",
			     "cannot encode the agency list");
	if (rc) {
		free(bs);
		return rc;
	}
	char hash[65];
	batch_sha256_hex(bs, strlen(bs), hash);
	st_hub_item it = { .agency = "*", .stream = "agencies", .kind = "agency.added",
			   .hash = hash, .body = bs, .actor = by->login, .at = now };
	rc = st_hub_outbox_put(a->st, &it, NULL, e);
	free(bs);
	return rc;
}

int app_hub_decide(app *a, const app_actor *by, const char *key, int approve, mc_time now,
		   json_t **out, mc_err *e)
{
	*out = NULL;
	if (!a->hub)
		return not_hub(e);
	if (by->role != ROLE_ADMIN)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị hệ thống được duyệt hoặc thu hồi máy xã",
			       "only an administrator may approve or revoke a node");
	st_hub_node n;
	int rc = st_begin(a->st, e);
	if (rc)
		return rc;
	rc = st_hub_node_by_key(a->st, key, &n, e);
	if (rc == MC_ENOTFOUND)
		rc = mc_fail(e, MCE_NOT_FOUND, "không có máy xã với khoá %.64s",
			     "no node with key %.64s", key);
	const char *to = approve ? "approved" : "revoked";
	if (!rc && strcmp(n.status, "revoked") == 0)
		rc = mc_fail(e, MCE_CONFLICT, "khoá đã bị thu hồi: máy xã phải đăng ký khoá mới",
			     "the key is revoked: the node must enrol a new key");
	int changed = !rc && strcmp(n.status, to) != 0;
	if (changed) {
		rc = st_hub_node_decide(a->st, key, to, by->login, now, e);
		json_t *p = json_pack("{s:s, s:I, s:s}", "agency", n.agency, "chain",
				      (json_int_t)n.chain, "key", key);
		if (!rc)
			rc = ev_append(a->st, now, by->login,
				       approve ? "node.approved" : "node.revoked", NULL, p, NULL, e);
		json_decref(p);
		/* The commune joins the hub's agency list (names on the public
		 * look-up, the dashboard). */
		if (!rc && approve)
			rc = st_agency_put(a->st, n.agency, n.name, "commune", a->agency, 0, e);
		/* and every commune learns the new list (transfers name them). */
		if (!rc && approve)
			rc = publish_agencies(a, by, now, e);
		if (!rc)
			rc = st_hub_node_by_key(a->st, key, &n, e);
	}
	rc = st_end(a->st, rc, e);
	if (!rc)
		*out = node_json(&n);
	return rc;
}

int app_hub_admit(app *a, const char *key, mc_err *e)
{
	if (!a->hub)
		return not_hub(e);
	if (!batch_is_hex(key, 64))
		return mc_fail(e, MCE_SYNC_UNKNOWN_KEY,
			       "thiếu tiêu đề Motcua-Key (khoá công khai của máy xã, 64 hex)",
			       "missing or malformed Motcua-Key header (the node's public key, 64 hex)");
	st_hub_node n;
	int rc = st_hub_node_by_key(a->st, key, &n, e);
	if (rc == MC_ENOTFOUND)
		return mc_fail(e, MCE_SYNC_UNKNOWN_KEY, "khoá %.16s… chưa đăng ký với tỉnh",
			       "key %.16s… is not enrolled with this hub", key);
	if (rc)
		return rc;
	if (strcmp(n.status, "pending") == 0)
		return mc_fail(e, MCE_SYNC_KEY_NOT_APPROVED,
			       "máy xã %s đã đăng ký nhưng chưa được tỉnh duyệt",
			       "node %s is enrolled but not approved yet", n.agency);
	if (strcmp(n.status, "revoked") == 0)
		return mc_fail(e, MCE_SYNC_KEY_REVOKED, "khoá của máy xã %s đã bị thu hồi",
			       "the key of node %s was revoked", n.agency);
	return MC_OK;
}

int app_hub_sign(app *a, const char *path, const void *body, size_t n, char sig[129], mc_err *e)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	int rc = app_node_secret(a, sk, e);
	if (rc)
		return rc;
	batch_sign(APP_SYNC_DOMAIN_HUB, path, body, n, sk, sig);
	sodium_memzero(sk, sizeof sk);
	return MC_OK;
}

/* ---- push ---- */

json_t *app_hub_head_json(app *a, const st_hub_node *n, mc_time now)
{
	int64_t hub_seq = 0;
	mc_err ignored;
	if (ev_count(a->st, &hub_seq, &ignored))
		hub_seq = 0;
	return json_pack("{s:s, s:I, s:I, s:s, s:I, s:o}", "epoch", a->epoch, "chain",
			 (json_int_t)n->chain, "acked_seq", (json_int_t)n->acked_seq, "acked_hash",
			 n->acked_hash, "hub_seq", (json_int_t)hub_seq, "now", app_json_time(now));
}

/* The hub's copy of a dossier from its record (as events carry it), owned
 * by owner. */

int app_hub_dossier_record(app *a, const char *owner, const json_t *d, int64_t last_seq,
			   const char *event_at, mc_err *e)
{
	const char *code = json_string_value(json_object_get(d, "code"));
	const char *name = json_string_value(json_object_get(json_object_get(d, "applicant"), "name"));
	const char *org = json_string_value(json_object_get(json_object_get(d, "applicant"), "org_name"));
	const char *procedure = json_string_value(json_object_get(d, "procedure"));
	const char *state = json_string_value(json_object_get(d, "status"));
	const char *received = json_string_value(json_object_get(d, "received_at"));
	if (!received)
		received = json_string_value(json_object_get(d, "submitted_at"));
	char *text = NULL;
	sb f;
	sb_init(&f, 4096);
	sb_addf(&f, "%s %s %s %s", code, name ? name : "", org ? org : "",
		procedure ? procedure : "");
	char *fold = sb_err(&f) ? NULL : txt_fold(sb_str(&f));
	sb_release(&f);
	text = json_dumps(d, JSON_COMPACT);
	st_hub_dossier h = {
		.agency = owner, .code = code, .procedure = procedure ? procedure : "",
		.state = state ? state : "",
		.open = state ? dsr_state_is_open(dsr_state_parse(state)) : 1, .name = name ? name : (org ? org : ""),
		.fold = fold ? fold : "", .received_at = received ? received : "",
		.due_at = json_string_value(json_object_get(d, "due_at")),
		.finished_at = json_string_value(json_object_get(d, "finished_at")),
		.last_seq = last_seq, .body = text ? text : "{}", .event_at = app_iso_time(event_at),
		.channel = json_string_value(json_object_get(d, "channel")),
		.assignee = json_string_value(json_object_get(d, "assignee")),
		.timeliness = json_string_value(json_object_get(d, "timeliness")),
		.r_received = app_iso_time(json_string_value(json_object_get(d, "received_at"))),
		.r_finished = app_iso_time(json_string_value(json_object_get(d, "finished_at"))),
		.r_due_legal = app_iso_time(json_string_value(json_object_get(d, "due_legal"))),
		.r_paused = app_iso_time(json_string_value(json_object_get(d, "paused_at"))),
		.components = (int)json_array_size(json_object_get(d, "components")),
	};
	int rc = st_hub_dossier_put(a->st, &h, e);
	free(fold);
	free(text);
	return rc;
}

/* Puts a transferred dossier in the receiving commune's transfers stream. */
static int transfer_out(app *a, const char *from, const char *to, const json_t *d,
			const batch_line *l, mc_time now, mc_err *e)
{
	json_t *b = json_pack("{s:O, s:s, s:I}", "dossier", d, "from", from, "seq",
			      (json_int_t)l->seq);
	char *bs = b ? json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(b);
	if (!bs)
		return mc_fail(e, MCE_INTERNAL, "không mã hoá được hồ sơ chuyển đi",
			       "cannot encode the transferred dossier");
	char hash[65];
	batch_sha256_hex(bs, strlen(bs), hash);
	st_hub_item it = { .agency = to, .stream = "transfers", .kind = "dossier.transfer_in",
			   .hash = hash, .body = bs, .actor = from, .at = now };
	int rc = st_hub_outbox_put(a->st, &it, NULL, e);
	free(bs);
	return rc;
}

/* An office record's attachment (docs/sync.md §12): recorded so that its
 * bytes may follow the events; a malformed one is rejected. */
static int hub_attach(app *a, const char *agency, int64_t chain, const batch_line *l,
		      const char **verdict, const char **vcode, char *vmsg, size_t vmsg_size,
		      mc_err *e)
{
	int rc = app_hub_attach_event(a, agency, chain, l->seq, l->value, e);
	if (!rc) {
		*verdict = "applied";
	} else if (e->code == MC_EINVAL) {
		*verdict = "rejected";
		*vcode = "file.bad_field";
		snprintf(vmsg, vmsg_size, "%s", mc_errmsg(e, 0));
		rc = MC_OK;
	}
	return rc;
}

/* The hub's state change for one event (docs/sync.md §7.1). Sets the
 * verdict and, for one not applied, its code and message (static text). */
static int apply_event(app *a, const char *agency, int64_t chain, const batch_line *l,
		       mc_time now, const char **verdict,
		       const char **vcode, char *vmsg, size_t vmsg_size, mc_err *e)
{
	*verdict = "stored";
	*vcode = "";
	vmsg[0] = 0;
	if (strcmp(l->kind, "attachment.added") == 0)
		return hub_attach(a, agency, chain, l, verdict, vcode, vmsg, vmsg_size, e);
	/* The document registers' entries (docs/documents.md): stored as
	 * signed, no hub state; their attachments follow attachment.added. */
	if (strncmp(l->kind, "document.", 9) == 0)
		return MC_OK;
	if (strncmp(l->kind, "recommendation.", 15) == 0)
		return app_rec_hub_event(a, agency, chain, l->seq, l->kind, l->at, l->value, now,
					 verdict, vcode, vmsg, vmsg_size, e);
	if (strncmp(l->kind, "task.", 5) == 0) /* docs/tasks.md "On the hub" */
		return app_hub_task_event(a, agency, l->seq, l->kind, l->at, l->actor, l->value,
					  now, verdict, vcode, vmsg, vmsg_size, e);
	if (strncmp(l->kind, "dossier.", 8) != 0 || !l->dossier)
		return MC_OK;
	json_t *p = json_incref(l->value); /* parsed once, by batch_parse */
	json_t *d = json_object_get(p, "dossier");
	int is_file = strcmp(l->kind, "dossier.file") == 0 && !d;
	const char *code = json_string_value(json_object_get(d, "code"));
	const char *owner_after = json_string_value(json_object_get(d, "agency"));
	if (is_file)
		code = owner_after = l->dossier; /* owner_after: unchanged, see below */
	if (!is_file && (!json_is_object(d) || !code || !owner_after || strcmp(code, l->dossier) != 0)) {
		/* An event of a kind this hub reads differently: keep it, decide later. */
		json_decref(p);
		*verdict = "deferred";
		*vcode = "sync.unknown_kind";
		snprintf(vmsg, vmsg_size, "event %s carries no dossier record this hub can read",
			 l->kind);
		return MC_OK;
	}
	char owner[64];
	int rc = st_hub_dossier_owner(a->st, code, owner, e);
	int is_new = rc == MC_ENOTFOUND;
	if (rc && !is_new) {
		json_decref(p);
		return rc;
	}
	rc = MC_OK;
	if (!is_new && strcmp(owner, agency) != 0) {
		*verdict = "rejected";
		*vcode = strcmp(l->kind, "dossier.received") == 0 ? "dossier.exists" : "dossier.moved";
		snprintf(vmsg, vmsg_size, "dossier %s belongs to %s, not %s", code, owner, agency);
		json_decref(p);
		return MC_OK;
	}
	if (is_file) {
		/* A scan or the result (docs/sync.md §12): the dossier's file
		 * row; its bytes follow the events. */
		rc = is_new ? MC_OK : app_hub_file_event(a, agency, chain, l->seq, code, p, e);
		if (!rc && is_new) {
			*verdict = "rejected";
			*vcode = "dossier.not_found";
			snprintf(vmsg, vmsg_size, "the hub holds no dossier %s", code);
		} else if (!rc) {
			*verdict = "applied";
		} else if (e->code == MC_EINVAL) {
			*verdict = "rejected";
			*vcode = "file.bad_field";
			snprintf(vmsg, vmsg_size, "%s", mc_errmsg(e, 0));
			rc = MC_OK;
		}
		json_decref(p);
		return rc;
	}
	rc = app_hub_dossier_record(a, owner_after, d, l->seq, l->at, e);
	/* A transfer: the receiving commune gets the whole record in its
	 * transfers stream, and its node makes it its own (§7.3). */
	if (!rc && strcmp(l->kind, "dossier.transfer") == 0 && strcmp(owner_after, agency) != 0)
		rc = transfer_out(a, agency, owner_after, d, l, now, e);
	json_decref(p);
	if (!rc)
		*verdict = "applied";
	return rc;
}

static int refuse_head(app *a, const st_hub_node *n, mc_time now, json_t **out, int rc)
{
	*out = json_pack("{s:o}", "head", app_hub_head_json(a, n, now));
	return rc;
}

/* Seconds between another clock's reading (an ISO time with offset) and
 * now; 0 if unreadable. */
int64_t app_clock_skew(const char *sent_at, mc_time now)
{
	mc_time t;
	mc_err ignored;
	char local[20];
	/* "YYYY-MM-DDTHH:MM:SS+07:00": the local part. */
	if (!sent_at || strlen(sent_at) < 19)
		return 0;
	memcpy(local, sent_at, 19);
	local[19] = 0;
	if (cal_parse_datetime(local, &t, &ignored))
		return 0;
	return (int64_t)(t - now);
}

int app_hub_push(app *a, const char *key, const char *sig, const void *body, size_t n, mc_time now,
		 json_t **out, mc_err *e)
{
	*out = NULL;
	int rc = app_hub_admit(a, key, e);
	if (rc)
		return rc;
	sb plain;
	sb_init(&plain, APP_SYNC_MAX_PLAIN);
	batch_hdr h;
	batch_line *lines = NULL;
	size_t nl = 0;
	rc = batch_decompress(body, n, APP_SYNC_MAX_PLAIN, &plain, e);
	if (!rc)
		rc = batch_verify(APP_SYNC_DOMAIN_NODE, APP_SYNC_PUSH_PATH, sb_str(&plain), plain.len,
				  key, sig ? sig : "", e);
	if (!rc)
		rc = batch_parse(sb_str(&plain), plain.len, &h, &lines, &nl, e);
	char batch_id[65];
	if (!rc)
		batch_sha256_hex(sb_str(&plain), plain.len, batch_id);
	sb_release(&plain);
	if (rc)
		goto done;

	rc = st_begin(a->st, e);
	if (rc)
		goto done;
	st_hub_node node;
	rc = st_hub_node_by_key(a->st, key, &node, e);
	if (rc)
		goto end;
	if (strcmp(h.key, key) != 0 || strcmp(h.agency, node.agency) != 0 || h.chain != node.chain) {
		rc = mc_fail(e, MCE_SYNC_AGENCY_MISMATCH,
			     "gói ghi cơ quan %s chuỗi %lld, khoá đã đăng ký cho %s chuỗi %lld",
			     "the batch names agency %s chain %lld; the key is enrolled for %s chain %lld",
			     h.agency, (long long)h.chain, node.agency, (long long)node.chain);
		goto end;
	}
	if (strcmp(h.epoch, a->epoch) != 0) {
		rc = refuse_head(a, &node, now, out,
				 mc_fail(e, MCE_SYNC_EPOCH_CHANGED,
					 "gói được lập cho cơ sở dữ liệu tỉnh %.8s…, hiện là %.8s…",
					 "the batch was made for hub epoch %.8s…, this is %.8s…",
					 h.epoch, a->epoch));
		goto end;
	}
	if (h.first > node.acked_seq + 1) {
		rc = refuse_head(a, &node, now, out,
				 mc_fail(e, MCE_SYNC_GAP,
					 "gói bắt đầu ở sự kiện %lld, tỉnh mới nhận đến %lld",
					 "the batch starts at event %lld; the hub holds up to %lld",
					 (long long)h.first, (long long)node.acked_seq));
		goto end;
	}
	/* The link to what the hub holds, and every event it holds already. */
	char held[65];
	if (h.first == 1) {
		if (strcmp(lines[0].prev_hash, EV_ZERO_HASH) != 0)
			rc = mc_fail(e, MCE_SYNC_CHAIN_BROKEN,
				     "sự kiện 1 phải có prev_hash bằng 0",
				     "event 1 must have a zero prev_hash");
	} else {
		rc = st_hub_event_hash(a->st, node.agency, node.chain, h.first - 1, held, e);
		if (!rc && strcmp(held, lines[0].prev_hash) != 0)
			rc = refuse_head(a, &node, now, out,
					 mc_fail(e, MCE_SYNC_FORK,
						 "sự kiện %lld không nối với sự kiện %lld tỉnh đang giữ",
						 "event %lld does not link to event %lld the hub holds",
						 (long long)h.first, (long long)h.first - 1));
	}
	for (size_t i = 0; !rc && i < nl && lines[i].seq <= node.acked_seq; i++) {
		rc = st_hub_event_hash(a->st, node.agency, node.chain, lines[i].seq, held, e);
		if (!rc && strcmp(held, lines[i].hash) != 0)
			rc = refuse_head(a, &node, now, out,
					 mc_fail(e, MCE_SYNC_FORK,
						 "sự kiện %lld khác với sự kiện tỉnh đã nhận",
						 "event %lld differs from the one the hub holds",
						 (long long)lines[i].seq));
	}
	if (rc)
		goto end;
	if (h.last <= node.acked_seq) {
		if (strcmp(batch_id, node.last_batch) != 0 && nl > 0)
			rc = refuse_head(a, &node, now, out,
					 mc_fail(e, MCE_SYNC_REPLAYED,
						 "tỉnh đã nhận đến sự kiện %lld: gói cũ không được nhận lại",
						 "the hub holds up to event %lld: an old batch is not taken again",
						 (long long)node.acked_seq));
		else
			*out = json_pack("{s:s, s:o, s:[]}", "status", "duplicate", "head",
					 app_hub_head_json(a, &node, now), "verdicts");
		goto end;
	}
	json_t *verdicts = json_array();
	int64_t rejected = 0;
	for (size_t i = 0; !rc && i < nl; i++) {
		const batch_line *l = &lines[i];
		if (l->seq <= node.acked_seq)
			continue;
		const char *verdict, *vcode;
		char vmsg[300];
		rc = apply_event(a, node.agency, node.chain, l, now, &verdict, &vcode, vmsg,
				 sizeof vmsg, e);
		st_hub_event ev = {
			.seq = l->seq, .at = l->at, .actor = l->actor, .kind = l->kind,
			.dossier = l->dossier, .payload = l->payload, .prev_hash = l->prev_hash,
			.hash = l->hash, .verdict = verdict, .verdict_code = vcode, .verdict_msg = vmsg,
		};
		if (!rc)
			rc = st_hub_event_insert(a->st, node.agency, node.chain, &ev, batch_id, now, e);
		if (!rc && (strcmp(verdict, "rejected") == 0 || strcmp(verdict, "deferred") == 0)) {
			rejected++;
			json_array_append_new(verdicts,
					      json_pack("{s:I, s:s, s:s, s:s}", "seq",
							(json_int_t)l->seq, "verdict", verdict,
							"code", vcode, "message", vmsg));
		}
	}
	const batch_line *tail = &lines[nl - 1];
	if (!rc)
		rc = st_hub_node_acked(a->st, node.agency, node.chain, tail->seq, tail->hash, batch_id,
				       now, app_clock_skew(h.sent_at, now), rejected, e);
	if (!rc) {
		node.acked_seq = tail->seq;
		snprintf(node.acked_hash, sizeof node.acked_hash, "%s", tail->hash);
		*out = json_pack("{s:s, s:o, s:o}", "status", "applied", "head", app_hub_head_json(a, &node, now),
				 "verdicts", verdicts);
	} else {
		json_decref(verdicts);
	}
end:
	/* A refusal writes nothing, but keeps the head it answers with. */
	if (rc) {
		st_rollback(a->st);
	} else {
		rc = st_commit(a->st, e);
		if (rc) {
			json_decref(*out);
			*out = NULL;
		}
	}
done:
	batch_lines_free(lines, nl);
	return rc;
}

/* ---- check and dump ---- */

typedef struct {
	app *a;
	int64_t chains, events, seq;
	char prev[65];
	char agency[64];
	int64_t chain;
	mc_err *e;
	int rc;
} check_ctx;

static int check_event(void *p, const st_hub_event *ev)
{
	check_ctx *c = p;
	char h[65];
	if (ev->seq != c->seq + 1 || strcmp(ev->prev_hash, c->prev) != 0 ||
	    ev_hash(ev->seq, ev->at, ev->actor, ev->kind, ev->dossier, ev->payload, ev->prev_hash,
		    h) != MC_OK ||
	    strcmp(h, ev->hash) != 0) {
		c->rc = mc_fail(c->e, MCE_CORRUPT,
				"chuỗi của %s (chuỗi %lld) hỏng ở sự kiện %lld",
				"the chain of %s (chain %lld) is broken at event %lld", c->agency,
				(long long)c->chain, (long long)ev->seq);
		return 1;
	}
	c->seq = ev->seq;
	snprintf(c->prev, sizeof c->prev, "%s", ev->hash);
	c->events++;
	return 0;
}

static int check_chain(void *p, const char *agency, int64_t chain)
{
	check_ctx *c = p;
	snprintf(c->agency, sizeof c->agency, "%s", agency);
	c->chain = chain;
	c->seq = 0;
	snprintf(c->prev, sizeof c->prev, "%s", EV_ZERO_HASH);
	c->chains++;
	return 0;
}

typedef struct {
	struct chain_id {
		char agency[64];
		int64_t chain;
	} *v;
	size_t n, cap;
} chain_list;

static int collect_chain(void *p, const char *agency, int64_t chain)
{
	chain_list *l = p;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = mc_xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	snprintf(l->v[l->n].agency, sizeof l->v[l->n].agency, "%s", agency);
	l->v[l->n].chain = chain;
	l->n++;
	return 0;
}

int app_hub_check(app *a, int64_t *chains, int64_t *events, mc_err *e)
{
	*chains = *events = 0;
	if (!a->hub)
		return MC_OK;
	chain_list list = { 0 };
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	check_ctx c = { .a = a, .e = e };
	/* The chains first: one walk at a time per statement. */
	rc = st_hub_event_chains(a->st, collect_chain, &list, e);
	for (size_t i = 0; !rc && i < list.n; i++) {
		check_chain(&c, list.v[i].agency, list.v[i].chain);
		rc = st_hub_event_list(a->st, list.v[i].agency, list.v[i].chain, 0, check_event, &c, e);
		if (!rc)
			rc = c.rc;
	}
	st_read_end(a->st);
	free(list.v);
	*chains = c.chains;
	*events = c.events;
	return rc;
}

static int dump_event(void *p, const st_hub_event *ev)
{
	fprintf(p, "[%lld,\"%s\"]\n", (long long)ev->seq, ev->hash);
	return 0;
}

int app_hub_chain_dump(app *a, const char *agency, int64_t chain, FILE *out, mc_err *e)
{
	if (!a->hub)
		return not_hub(e);
	int rc = st_read_begin(a->st, e);
	if (rc)
		return rc;
	rc = st_hub_event_list(a->st, agency, chain, 0, dump_event, out, e);
	st_read_end(a->st);
	return rc;
}

/* ---- the province's view ---- */

static int supervisor(const app_actor *by, mc_err *e)
{
	if (by->role != ROLE_ADMIN && by->role != ROLE_SUPERVISOR)
		return mc_fail(e, MCE_ROLE, "chỉ quản trị và giám sát xem được số liệu các xã",
			       "only an administrator or supervisor may see the communes' figures");
	return MC_OK;
}

typedef struct {
	json_t *by_agency; /* agency -> commune object */
	mc_time now;
} dash_ctx;

static json_t *commune_of(dash_ctx *c, const char *agency)
{
	json_t *o = json_object_get(c->by_agency, agency);
	if (!o) {
		o = json_pack("{s:s, s:s, s:[], s:I, s:I, s:I, s:n, s:n, s:I, s:I}", "agency", agency,
			      "name", "", "nodes", "dossiers", (json_int_t)0, "open", (json_int_t)0,
			      "overdue", (json_int_t)0, "last_push_at", "lag_s", "acked_seq",
			      (json_int_t)0, "rejected", (json_int_t)0);
		json_object_set_new(c->by_agency, agency, o);
	}
	return o;
}

static int dash_node(void *p, const st_hub_node *n)
{
	dash_ctx *c = p;
	json_t *o = commune_of(c, n->agency);
	json_object_set_new(o, "name", json_string(n->name));
	json_array_append_new(json_object_get(o, "nodes"), node_json(n));
	if (strcmp(n->status, "approved") != 0)
		return 0;
	json_object_set_new(o, "acked_seq",
			    json_integer(json_integer_value(json_object_get(o, "acked_seq")) +
					 n->acked_seq));
	json_object_set_new(o, "rejected",
			    json_integer(json_integer_value(json_object_get(o, "rejected")) +
					 n->rejected));
	json_t *last = json_object_get(o, "last_push_at");
	if (n->last_push_at) {
		char iso[26];
		cal_format_iso(n->last_push_at, iso);
		if (!json_is_string(last) || strcmp(json_string_value(last), iso) < 0) {
			json_object_set_new(o, "last_push_at", json_string(iso));
			json_object_set_new(o, "lag_s", json_integer(c->now - n->last_push_at));
		}
	}
	return 0;
}

static int dash_counts(void *p, const char *agency, int64_t total, int64_t open, int64_t overdue)
{
	dash_ctx *c = p;
	json_t *o = commune_of(c, agency);
	json_object_set_new(o, "dossiers", json_integer(total));
	json_object_set_new(o, "open", json_integer(open));
	json_object_set_new(o, "overdue", json_integer(overdue));
	return 0;
}

int app_hub_dashboard(app *a, const app_actor *by, mc_time now, json_t **out, mc_err *e)
{
	*out = NULL;
	if (!a->hub)
		return not_hub(e);
	int rc = supervisor(by, e);
	if (rc)
		return rc;
	char iso[26];
	cal_format_iso(now, iso);
	dash_ctx c = { json_object(), now };
	rc = st_hub_node_list(a->st, dash_node, &c, e);
	if (!rc)
		rc = st_hub_dossier_counts(a->st, iso, dash_counts, &c, e);
	if (rc) {
		json_decref(c.by_agency);
		return rc;
	}
	json_t *list = json_array();
	const char *k;
	json_t *v;
	int64_t open = 0, overdue = 0, pending = 0;
	json_object_foreach(c.by_agency, k, v) {
		json_array_append(list, v);
		open += json_integer_value(json_object_get(v, "open"));
		overdue += json_integer_value(json_object_get(v, "overdue"));
		size_t i;
		json_t *n;
		json_array_foreach(json_object_get(v, "nodes"), i, n)
			pending += strcmp(json_string_value(json_object_get(n, "status")), "pending") == 0;
	}
	json_decref(c.by_agency);
	*out = json_pack("{s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I}}", "agency", a->agency, "name",
			 a->agency_name, "communes", list, "totals", "communes",
			 (json_int_t)json_array_size(list), "open", (json_int_t)open, "overdue",
			 (json_int_t)overdue, "pending_nodes", (json_int_t)pending);
	return MC_OK;
}

static int search_one(void *p, const st_hub_dossier *d)
{
	json_array_append_new(p, json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s?, s:s?}",
					   "agency", d->agency, "code", d->code, "procedure",
					   d->procedure, "status", d->state, "open", d->open, "name",
					   d->name, "received_at", d->received_at, "due_at",
					   d->due_at, "finished_at", d->finished_at));
	return 0;
}

int app_hub_search(app *a, const app_actor *by, const char *q, const char *agency, int limit,
		   json_t **out, mc_err *e)
{
	*out = NULL;
	if (!a->hub)
		return not_hub(e);
	int rc = supervisor(by, e);
	if (rc)
		return rc;
	char *fold = q && *q ? txt_fold(q) : NULL;
	json_t *items = json_array();
	rc = st_hub_dossier_search(a->st, fold, agency && *agency ? agency : NULL,
				   limit > 0 ? limit : 50, search_one, items, e);
	free(fold);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return MC_OK;
}

static int history_one(void *p, const char *agency, int64_t chain, const st_hub_event *ev)
{
	json_error_t je;
	json_t *payload = json_loads(ev->payload, 0, &je);
	json_t *d = json_object_get(payload, "dossier");
	json_array_append_new(
		p, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s?, s:o, s:s, s:s, s:s}", "agency",
			     agency, "chain", (json_int_t)chain, "seq", (json_int_t)ev->seq, "at",
			     ev->at, "actor", ev->actor, "kind", ev->kind, "comment",
			     json_string_value(json_object_get(payload, "comment")), "status",
			     json_string_value(json_object_get(d, "status"))
				     ? json_string(json_string_value(json_object_get(d, "status")))
				     : json_null(),
			     "hash", ev->hash, "verdict", ev->verdict, "verdict_code",
			     ev->verdict_code));
	json_decref(payload);
	return 0;
}

int app_hub_dossier(app *a, const app_actor *by, const char *code, json_t **out, mc_err *e)
{
	*out = NULL;
	if (!a->hub)
		return not_hub(e);
	int rc = supervisor(by, e);
	if (rc)
		return rc;
	json_t *found = json_array();
	char *fold = txt_fold(code);
	rc = st_hub_dossier_search(a->st, fold, NULL, 1000, search_one, found, e);
	free(fold);
	json_t *rec = NULL;
	size_t i;
	json_t *it;
	json_array_foreach(found, i, it)
		if (strcmp(json_string_value(json_object_get(it, "code")), code) == 0)
			rec = it;
	if (!rc && !rec)
		rc = mc_fail(e, MCE_DOSSIER_NOT_FOUND, "tỉnh chưa có hồ sơ %.96s",
			     "the hub holds no dossier %.96s", code);
	json_t *hist = json_array(), *files = NULL;
	if (!rc)
		rc = st_hub_dossier_events(a->st, code, history_one, hist, e);
	if (!rc)
		rc = app_hub_dossier_files(a, code, &files, e);
	if (!rc) {
		*out = json_pack("{s:O, s:o, s:o}", "dossier", rec, "history", hist, "files", files);
	} else {
		json_decref(hist);
	}
	json_decref(found);
	return rc;
}

/* ---- the public look-up on the hub (every commune's dossiers) ---- */

typedef struct {
	const char *code;
	json_t *rec;
} body_ctx;

static int body_one(void *p, const st_hub_dossier *d)
{
	body_ctx *c = p;
	if (strcmp(d->code, c->code) != 0 || c->rec)
		return 0;
	json_error_t je;
	c->rec = json_loads(d->body, 0, &je);
	return c->rec != NULL;
}

static int public_step(void *p, const char *agency, int64_t chain, const st_hub_event *ev)
{
	if (strcmp(ev->verdict, "applied") != 0)
		return 0;
	json_error_t je;
	json_t *payload = json_loads(ev->payload, 0, &je);
	json_array_append_new(p, json_pack("{s:s, s:s, s:O?, s:O?}", "at", ev->at, "kind", ev->kind,
					   "action", json_object_get(payload, "action"), "to",
					   json_object_get(payload, "to")));
	json_decref(payload);
	return 0;
}

int app_hub_public_dossier(app *a, const char *code, json_t **out, mc_err *e)
{
	*out = NULL;
	int rc;
	body_ctx c = { .code = code };
	char *fold = txt_fold(code);
	rc = st_hub_dossier_search(a->st, fold ? fold : "", NULL, 1000, body_one, &c, e);
	free(fold);
	if (!rc && !c.rec)
		rc = mc_fail(e, MCE_DOSSIER_NOT_FOUND, "không có hồ sơ mã '%.96s'",
			     "no dossier '%.96s'", code);
	json_t *hist = json_array();
	if (!rc)
		rc = st_hub_dossier_events(a->st, code, public_step, hist, e);
	if (!rc) {
		/* The procedure's name, when the hub's catalog has it. */
		const char *proc = json_string_value(json_object_get(c.rec, "procedure"));
		char pname[512] = "";
		double amt;
		int unit;
		mc_err ig;
		if (proc && st_procedure_time(a->st, proc, 0, &amt, &unit, NULL, pname, sizeof pname,
					      &ig) == MC_OK &&
		    pname[0])
			json_object_set_new(c.rec, "procedure_name", json_string(pname));
		else
			json_object_set_new(c.rec, "procedure_name", json_string(proc ? proc : ""));
		json_object_set_new(c.rec, "history", hist);
		*out = c.rec;
	} else {
		json_decref(hist);
		json_decref(c.rec);
	}
	return rc;
}
