/*
 * search.c - full-text search (search.h): checks the user's text, makes it
 * folded words (txt_words, as the index's tokenizer does), asks the store,
 * and turns its marked text into segments a client shows without parsing.
 */
#include "app/search.h"

#include "app/app_int.h"
#include "core/txt.h"
#include "store/st_search.h"

typedef struct {
	char buf[2 * APP_SEARCH_Q_MAX + 64];
	const char *w[ST_SEARCH_WORDS_MAX];
	int n;
	size_t used;
	int too_many;
} words;

static int add_word(void *p, const char *w, size_t len, size_t start, size_t end)
{
	words *ws = p;
	/* A folded word is never longer than its text, which is at most
	 * APP_SEARCH_Q_MAX bytes; the guard is for the arithmetic. */
	if (ws->n == ST_SEARCH_WORDS_MAX || ws->used + len + 1 > sizeof ws->buf) {
		ws->too_many = 1;
		return 1;
	}
	memcpy(ws->buf + ws->used, w, len);
	ws->buf[ws->used + len] = 0;
	ws->w[ws->n++] = ws->buf + ws->used;
	ws->used += len + 1;
	return 0;
}

/* Marked text (ST_SEARCH_HIT_ON ... ST_SEARCH_HIT_OFF) as an array of
 * {"text", "hit"}; empty pieces are left out. */
static json_t *segments(const char *s)
{
	json_t *arr = json_array();
	int hit = 0;
	while (*s) {
		size_t k = strcspn(s, (const char[]){ ST_SEARCH_HIT_ON, ST_SEARCH_HIT_OFF, 0 });
		if (k) {
			json_t *t = json_stringn(s, k);
			/* the store keeps the text valid UTF-8; a cut inside a
			 * character would be a bug, shown as nothing */
			if (t)
				json_array_append_new(arr, json_pack("{s:o, s:b}", "text", t, "hit", hit));
		}
		s += k;
		if (*s) {
			hit = *s == ST_SEARCH_HIT_ON;
			s++;
		}
	}
	return arr;
}

static char *plain(const char *s)
{
	char *out = mc_xstrdup(s), *w = out;
	for (const char *r = s; *r; r++) {
		if (*r != ST_SEARCH_HIT_ON && *r != ST_SEARCH_HIT_OFF)
			*w++ = *r;
	}
	*w = 0;
	return out;
}

static int hit_one(void *p, const st_search_hit *h)
{
	json_t *items = p;
	char *title = plain(h->title);
	json_t *it = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o}", "kind", h->kind,
			       "code", h->dossier, "ref", h->ref, "title", title, "title_parts",
			       segments(h->title), "snippet", segments(h->snippet), "status",
			       h->status, "procedure", h->procedure, "received_at",
			       app_json_time(h->received_at), "submitted_at",
			       app_json_time(h->submitted_at));
	free(title);
	if (it)
		json_array_append_new(items, it);
	return 0;
}

static int is_blank(const char *q)
{
	for (const unsigned char *p = (const unsigned char *)q; *p; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	}
	return 1;
}

int app_search(app *a, const app_actor *by, const char *q, int limit, int offset, json_t **out,
	       mc_err *e)
{
	if (!q || is_blank(q))
		return mc_fail(e, MCE_SEARCH_BAD_QUERY, "chưa nhập nội dung cần tìm (q)",
			       "q is required");
	size_t n = strlen(q);
	if (n > APP_SEARCH_Q_MAX)
		return mc_fail(e, MCE_SEARCH_BAD_QUERY, "nội dung cần tìm (q) dài quá %d byte",
			       "q is longer than %d bytes", APP_SEARCH_Q_MAX);
	if (!txt_utf8_valid(q, n))
		return mc_fail(e, MCE_SEARCH_BAD_QUERY,
			       "nội dung cần tìm (q) không phải văn bản UTF-8 hợp lệ",
			       "q is not valid UTF-8");
	if (limit == 0)
		limit = APP_SEARCH_LIMIT;
	if (limit < 1 || limit > APP_SEARCH_LIMIT_MAX || offset < 0 ||
	    offset > APP_SEARCH_OFFSET_MAX)
		return mc_fail(e, MCE_SEARCH_BAD_QUERY,
			       "limit phải từ 1 đến %d và offset từ 0 đến %d",
			       "limit must be 1 to %d and offset 0 to %d", APP_SEARCH_LIMIT_MAX,
			       APP_SEARCH_OFFSET_MAX);
	words ws = { .n = 0 };
	(void)txt_words(q, n, add_word, &ws);
	if (ws.too_many)
		return mc_fail(e, MCE_SEARCH_BAD_QUERY, "nội dung cần tìm (q) có quá %d từ",
			       "q has more than %d words", ST_SEARCH_WORDS_MAX);
	json_t *items = json_array();
	int64_t total = 0;
	/* Punctuation alone: no word to look for, so nothing is found. */
	int rc = ws.n ? st_search(a->st, a->agency, ws.w, ws.n, limit, offset, &total, hit_one,
				  items, e)
		      : MC_OK;
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
			 "offset", offset, "limit", limit);
	return MC_OK;
}
