/*
 * batch.c - the sync batch (batch.h, docs/sync.md §5.1).
 *
 * The hub hashes each event line's bytes as received and never re-encodes
 * a payload: a number or an escape written differently would change the
 * hash. So a line is checked piecewise: everything around the payload must
 * be exactly the canonical encoding of the fields it carries (which the
 * node's log hashed), and the payload between them must be one JSON value.
 */
#include "sync/batch.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "sync/evenc.h"

/* ---- building ---- */

void batch_init(batch_builder *b, size_t max_bytes, int max_events)
{
	memset(b, 0, sizeof *b);
	b->max_bytes = max_bytes;
	b->max_events = max_events > 0 ? max_events : 1;
	/* The first event goes in whatever its size (it must never block the
	 * stream), so the builder's own bound is the largest event plus some. */
	size_t cap = max_bytes > (8u << 20) ? max_bytes : (8u << 20);
	sb_init(&b->lines, cap > SIZE_MAX - 64 ? SIZE_MAX : cap + 64);
}

void batch_release(batch_builder *b)
{
	sb_release(&b->lines);
}

int batch_add(batch_builder *b, const batch_event *ev)
{
	if (b->n >= b->max_events)
		return BATCH_FULL;
	if (b->n > 0 && ev->seq != b->last + 1)
		return MC_EINVAL;
	sb one;
	sb_init(&one, 8u << 20);
	evenc_line(&one, ev->seq, ev->at, ev->actor, ev->kind, ev->dossier, ev->payload,
		   ev->prev_hash);
	sb_addc(&one, '\n');
	int rc = MC_OK;
	if (sb_err(&one))
		rc = MC_EINVAL;
	else if (b->n > 0 && b->lines.len + one.len > b->max_bytes)
		rc = BATCH_FULL;
	if (!rc) {
		sb_addn(&b->lines, sb_str(&one), one.len);
		if (sb_err(&b->lines))
			rc = MC_EINVAL;
	}
	sb_release(&one);
	if (rc)
		return rc;
	if (b->n == 0)
		b->first = ev->seq;
	b->last = ev->seq;
	b->n++;
	return MC_OK;
}

static json_t *header_json(const batch_hdr *h)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:I, s:s, s:I, s:s, s:i}", "agency",
			 h->agency, "base_hash", h->base_hash, "base_seq", (json_int_t)h->base_seq,
			 "chain", (json_int_t)h->chain, "count", (json_int_t)h->count, "epoch",
			 h->epoch, "first", (json_int_t)h->first, "key", h->key, "last",
			 (json_int_t)h->last, "sent_at", h->sent_at, "v", h->v);
}

int batch_finish(batch_builder *b, const batch_hdr *h, sb *plain, mc_err *e)
{
	batch_hdr full = *h;
	full.first = b->first;
	full.last = b->last;
	full.count = b->n;
	json_t *j = header_json(&full);
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!t)
		return mc_fail(e, MCE_SYNC_BAD_BATCH, "không lập được đầu gói đồng bộ",
			       "cannot encode the batch header");
	sb_add(plain, t);
	sb_addc(plain, '\n');
	free(t);
	sb_addn(plain, sb_str(&b->lines), b->lines.len);
	if (sb_err(plain))
		return mc_fail(e, MCE_SYNC_BAD_BATCH, "gói đồng bộ vượt giới hạn",
			       "the batch is larger than its bound");
	return MC_OK;
}

/* ---- zstd ---- */

int batch_compress(const void *plain, size_t n, sb *z, mc_err *e)
{
	size_t cap = ZSTD_compressBound(n);
	char *buf = malloc(cap ? cap : 1);
	if (!buf)
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	size_t got = ZSTD_compress(buf, cap, plain, n, 3);
	int rc = MC_OK;
	if (ZSTD_isError(got)) {
		rc = mc_fail(e, MCE_SYNC_BAD_BATCH, "không nén được gói đồng bộ: %s",
			     "cannot compress the batch: %s", ZSTD_getErrorName(got));
	} else {
		sb_addn(z, buf, got);
		if (sb_err(z))
			rc = mc_fail(e, MCE_SYNC_BAD_BATCH, "gói đồng bộ nén vẫn quá lớn",
				     "the compressed batch is too large");
	}
	free(buf);
	return rc;
}

#define bad(e, vi, en) mc_fail((e), MCE_SYNC_BAD_BATCH, vi, en)

int batch_decompress(const void *z, size_t n, size_t max_plain, sb *plain, mc_err *e)
{
	if (n == 0)
		return bad(e, "gói đồng bộ rỗng", "the batch is empty");
	size_t fsize = ZSTD_findFrameCompressedSize(z, n);
	if (ZSTD_isError(fsize))
		return bad(e, "nội dung không phải một khung zstd hợp lệ",
			   "the body is not a valid zstd frame");
	if (fsize != n)
		return bad(e, "có dữ liệu thừa sau khung zstd", "bytes follow the zstd frame");
	unsigned long long size = ZSTD_getFrameContentSize(z, n);
	if (size == ZSTD_CONTENTSIZE_ERROR)
		return bad(e, "khung zstd hỏng", "the zstd frame is damaged");
	if (size == ZSTD_CONTENTSIZE_UNKNOWN)
		return bad(e, "khung zstd không ghi kích thước nội dung",
			   "the zstd frame does not declare its content size");
	if (size > max_plain)
		return mc_fail(e, MCE_SYNC_BAD_BATCH, "gói đồng bộ giải nén ra %llu byte, quá %zu",
			       "the batch inflates to %llu bytes, more than %zu", size, max_plain);
	char *buf = malloc((size_t)size + 1);
	if (!buf)
		return mc_fail(e, MCE_INTERNAL, "hết bộ nhớ", "out of memory");
	size_t got = ZSTD_decompress(buf, (size_t)size, z, n);
	int rc = MC_OK;
	if (ZSTD_isError(got) || got != size) {
		rc = bad(e, "không giải nén được gói đồng bộ", "the batch does not inflate");
	} else {
		sb_addn(plain, buf, got);
		if (sb_err(plain))
			rc = bad(e, "gói đồng bộ quá lớn", "the batch is too large");
	}
	free(buf);
	return rc;
}

/* ---- parsing ---- */

int batch_is_hex(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int get_str(json_t *o, const char *k, char *out, size_t size)
{
	const char *v = json_string_value(json_object_get(o, k));
	if (!v || strlen(v) >= size)
		return 0;
	memcpy(out, v, strlen(v) + 1);
	return 1;
}

static int get_int(json_t *o, const char *k, int64_t *out)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v))
		return 0;
	*out = json_integer_value(v);
	return 1;
}

static int parse_header(const char *p, size_t n, batch_hdr *h, mc_err *e)
{
	json_error_t je;
	json_t *o = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
	int64_t v = 0;
	memset(h, 0, sizeof *h);
	int ok = json_is_object(o) && json_object_size(o) == 11 && get_int(o, "v", &v) && v == 1 &&
		 get_str(o, "agency", h->agency, sizeof h->agency) &&
		 get_str(o, "key", h->key, sizeof h->key) &&
		 get_str(o, "epoch", h->epoch, sizeof h->epoch) &&
		 get_str(o, "base_hash", h->base_hash, sizeof h->base_hash) &&
		 get_str(o, "sent_at", h->sent_at, sizeof h->sent_at) &&
		 get_int(o, "chain", &h->chain) && get_int(o, "base_seq", &h->base_seq) &&
		 get_int(o, "first", &h->first) && get_int(o, "last", &h->last) &&
		 get_int(o, "count", &h->count);
	h->v = (int)v;
	if (ok) {
		/* Canonical, as batch_finish writes it. */
		char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		ok = t && strlen(t) == n && memcmp(t, p, n) == 0;
		free(t);
	}
	json_decref(o);
	if (!ok)
		return bad(e, "đầu gói đồng bộ thiếu trường, sai kiểu hoặc không đúng dạng chuẩn",
			   "the batch header misses a field, has a wrong type or is not canonical");
	if (!batch_is_hex(h->key, 64) || !batch_is_hex(h->epoch, 32) || !batch_is_hex(h->base_hash, 64) ||
	    h->chain < 1 || h->base_seq < 0 || h->count < 1 || h->count > 1000000 ||
	    h->first < 1 || h->first > INT64_MAX - h->count + 1 ||
	    h->last != h->first + (h->count - 1))
		return bad(e, "đầu gói đồng bộ có giá trị sai (khoá, epoch, mã băm, số thứ tự)",
			   "the batch header has a wrong value (key, epoch, hash, seqs)");
	return MC_OK;
}

/* Parses one event line p[0..n) (without its '\n') into l. */
static int parse_line(const char *p, size_t n, batch_line *l, mc_err *e)
{
	json_error_t je;
	json_t *a = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
	json_t *seq = json_array_get(a, 0);
	const char *at = json_string_value(json_array_get(a, 1));
	const char *actor = json_string_value(json_array_get(a, 2));
	const char *kind = json_string_value(json_array_get(a, 3));
	json_t *dj = json_array_get(a, 4);
	const char *prev = json_string_value(json_array_get(a, 6));
	if (!json_is_array(a) || json_array_size(a) != 7 || !json_is_integer(seq) || !at ||
	    !actor || !kind || !(json_is_null(dj) || json_is_string(dj)) || !batch_is_hex(prev, 64)) {
		json_decref(a);
		return bad(e, "một dòng sự kiện trong gói không đúng dạng [seq,at,actor,kind,dossier,payload,prev_hash]",
			   "an event line is not [seq,at,actor,kind,dossier,payload,prev_hash]");
	}
	memset(l, 0, sizeof *l);
	l->seq = json_integer_value(seq);
	/* The canonical bytes around the payload. */
	sb pre;
	sb_init(&pre, n + 64);
	evenc_line(&pre, l->seq, at, actor, kind, json_string_value(dj), "", prev);
	sb post;
	sb_init(&post, 128);
	sb_addc(&post, ',');
	json_t *pj = json_string(prev);
	char *pt = json_dumps(pj, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(pj);
	sb_add(&post, pt ? pt : "");
	free(pt);
	sb_addc(&post, ']');
	int rc = MC_OK;
	size_t head = pre.len - post.len; /* bytes before the payload */
	if (sb_err(&pre) || sb_err(&post) || n < pre.len + 1 ||
	    memcmp(p, sb_str(&pre), head) != 0 ||
	    memcmp(p + n - post.len, sb_str(&post), post.len) != 0) {
		rc = mc_fail(e, MCE_SYNC_BAD_BATCH,
			     "sự kiện %lld trong gói không được mã hoá đúng dạng chuẩn",
			     "event %lld in the batch is not in canonical form", (long long)l->seq);
	} else {
		/* The line parsed as a 7-array and its bytes before and after the
		 * payload are the canonical ones: what lies between is exactly
		 * element 5's text, parsed already (no second parse). */
		size_t plen = n - head - post.len;
		l->at = mc_xstrdup(at);
		l->actor = mc_xstrdup(actor);
		l->kind = mc_xstrdup(kind);
		l->dossier = json_is_string(dj) ? mc_xstrdup(json_string_value(dj)) : NULL;
		l->payload = mc_xstrndup(p + head, plen);
		l->prev_hash = mc_xstrdup(prev);
		l->value = json_incref(json_array_get(a, 5));
		evenc_sha256_hex(p, n, l->hash);
	}
	sb_release(&pre);
	sb_release(&post);
	json_decref(a);
	return rc;
}

static void line_free(batch_line *l)
{
	free(l->at);
	free(l->actor);
	free(l->kind);
	free(l->dossier);
	free(l->payload);
	free(l->prev_hash);
	json_decref(l->value);
}

void batch_lines_free(batch_line *lines, size_t n)
{
	for (size_t i = 0; lines && i < n; i++)
		line_free(&lines[i]);
	free(lines);
}

int batch_parse(const char *plain, size_t n, batch_hdr *h, batch_line **lines, size_t *nlines,
		mc_err *e)
{
	*lines = NULL;
	*nlines = 0;
	if (n == 0 || plain[n - 1] != '\n' || memchr(plain, 0, n))
		return bad(e, "gói đồng bộ phải là các dòng văn bản, mỗi dòng kết thúc bằng xuống dòng",
			   "a batch is lines of text, each ending in a newline");
	const char *end = memchr(plain, '\n', n);
	int rc = parse_header(plain, (size_t)(end - plain), h, e);
	if (rc)
		return rc;
	const char *p = end + 1, *stop = plain + n;
	size_t count = 0;
	for (const char *q = p; q < stop; q++)
		count += *q == '\n';
	if ((int64_t)count != h->count)
		return mc_fail(e, MCE_SYNC_BAD_BATCH, "gói ghi %lld sự kiện nhưng có %zu dòng",
			       "the header says %lld events, the batch has %zu lines",
			       (long long)h->count, count);
	batch_line *ls = mc_xcalloc(count, sizeof *ls);
	size_t i = 0;
	for (; i < count && !rc; i++) {
		end = memchr(p, '\n', (size_t)(stop - p));
		rc = parse_line(p, (size_t)(end - p), &ls[i], e);
		if (rc)
			break;
		if (ls[i].seq != h->first + (int64_t)i) {
			rc = mc_fail(e, MCE_SYNC_BAD_BATCH,
				     "dòng %zu mang sự kiện %lld, phải là %lld (thiếu hoặc lặp)",
				     "line %zu carries event %lld, expected %lld (a gap or a repeat)",
				     i + 2, (long long)ls[i].seq, (long long)(h->first + (int64_t)i));
			i++;
			break;
		}
		if (i > 0 && strcmp(ls[i].prev_hash, ls[i - 1].hash) != 0) {
			rc = mc_fail(e, MCE_SYNC_CHAIN_BROKEN,
				     "sự kiện %lld không nối với mã băm của sự kiện %lld",
				     "event %lld does not link to the hash of event %lld",
				     (long long)ls[i].seq, (long long)ls[i - 1].seq);
			i++;
			break;
		}
		p = end + 1;
	}
	if (rc) {
		batch_lines_free(ls, i);
		return rc;
	}
	*lines = ls;
	*nlines = count;
	return MC_OK;
}

/* ---- signatures ---- */

void batch_sha256_hex(const void *p, size_t n, char out[65])
{
	evenc_sha256_hex(p, n, out);
}

static void message(const char *domain, const char *path, const void *body, size_t n, sb *m)
{
	char h[65];
	evenc_sha256_hex(body, n, h);
	sb_addf(m, "%s\n%s\n%s\n", domain, path, h);
}

void batch_sign(const char *domain, const char *path, const void *body, size_t n,
		const unsigned char sk[crypto_sign_SECRETKEYBYTES], char sig_hex[129])
{
	sb m;
	sb_init(&m, 4096);
	message(domain, path, body, n, &m);
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)sb_str(&m), m.len, sk);
	sodium_bin2hex(sig_hex, 129, sig, sizeof sig);
	sb_release(&m);
}

int batch_verify(const char *domain, const char *path, const void *body, size_t n,
		 const char *pub_hex, const char *sig_hex, mc_err *e)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	if (!batch_is_hex(pub_hex, 64) || !batch_is_hex(sig_hex, 128) ||
	    sodium_hex2bin(pk, sizeof pk, pub_hex, 64, NULL, NULL, NULL) != 0 ||
	    sodium_hex2bin(sig, sizeof sig, sig_hex, 128, NULL, NULL, NULL) != 0)
		return mc_fail(e, MCE_SYNC_BAD_SIGNATURE, "thiếu chữ ký hoặc khoá, hoặc không phải hex",
			       "the signature or key is missing or not hex");
	sb m;
	sb_init(&m, 4096);
	message(domain, path, body, n, &m);
	int ok = crypto_sign_verify_detached(sig, (const unsigned char *)sb_str(&m), m.len, pk) == 0;
	sb_release(&m);
	if (!ok)
		return mc_fail(e, MCE_SYNC_BAD_SIGNATURE,
			       "chữ ký không khớp nội dung: gói bị sửa hoặc ký bằng khoá khác",
			       "the signature does not match: the body was altered or signed by another key");
	return MC_OK;
}
