/*
 * search.c - full-text search (search.h): checks the user's text, makes it
 * folded words (txt_words, as the index's tokenizer does), asks the store,
 * and turns its marked text into segments a client shows without parsing.
 */
#include "app/search.h"

#include "app/app_int.h"
#include "core/txt.h"
#include "sb.h"
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
	int capped = 0;
	/* Punctuation alone: no word to look for, so nothing is found. */
	int rc = ws.n ? st_search(a->st, a->agency, ws.w, ws.n, limit, offset, &total, &capped,
				  hit_one, items, e)
		      : MC_OK;
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:b, s:i, s:i}", "items", items, "total", (json_int_t)total,
			 "total_capped", capped, "offset", offset, "limit", limit);
	return MC_OK;
}

/* ---- make bench (bench/search.sh) ---- */

static const char *const surnames[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
					"Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
					"Đinh", "Quách", "Hà", "Lò" };
static const char *const middles[] = { "Văn", "Thị", "Hữu", "Đức", "Thanh", "Minh", "Ngọc", "Quang",
				       "Thu", "Xuân", "Hồng", "Kim" };
static const char *const givens[] = { "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh",
				      "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
				      "Mai", "Nam", "Nga", "Nhung", "Phúc", "Quân", "Sơn", "Tâm",
				      "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Đạt" };
static const char *const hamlets[] = { "Xóm Chiềng", "Xóm Sào Báy", "Xóm Bãi Chạo", "Xóm Nhội",
				       "Xóm Bình Lợi", "Xóm Đúng", "Xóm Mỏ", "Thôn Đông", "Thôn Tây" };
static const char *const sentences[] = {
	"Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014 và Nghị định số 123/2015/NĐ-CP",
	"Ủy ban nhân dân xã chứng nhận ông bà có tên dưới đây đã đăng ký khai sinh",
	"Họ, chữ đệm, tên người được khai sinh; ngày, tháng, năm sinh; giới tính; dân tộc",
	"Nơi cư trú: thôn xóm, xã, tỉnh; số định danh cá nhân do Bộ Công an cấp",
	"Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
	"Bản sao được chứng thực từ bản chính có giá trị sử dụng thay cho bản chính",
	"Người yêu cầu chịu trách nhiệm về tính hợp pháp của giấy tờ đã cung cấp",
	"Đơn đề nghị xác nhận tình trạng hôn nhân để làm thủ tục đăng ký kết hôn",
	"Hợp đồng chuyển nhượng quyền sử dụng đất được công chứng tại văn phòng công chứng",
	"Trích lục khai tử, giấy báo tử do bệnh viện cấp, biên bản xác nhận việc chết",
	"Sổ hộ khẩu đã hết giá trị sử dụng từ ngày 01 tháng 01 năm 2023",
	"Ruộng đất canh tác, chuyển đổi cơ cấu cây trồng, vật nuôi trên đất trồng lúa",
};

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

#define PICK(arr, s) (arr)[next_rand(s) % MC_ARRAY_LEN(arr)]

int app_search_bench_fill(app *a, int n, unsigned seed, mc_time now, mc_err *e)
{
	char proc[32];
	int rc = app_bench_procedure(a, proc, e);
	for (int i = 0; !rc && i < n; i += 2000) {
		rc = st_begin(a->st, e);
		for (int k = i; !rc && k < n && k < i + 2000; k++) {
			char name[128], addr[320], phone[16], id[16], code[96], summary[256], ref[200];
			snprintf(name, sizeof name, "%s %s %s", PICK(surnames, &seed), PICK(middles, &seed),
				 PICK(givens, &seed));
			snprintf(addr, sizeof addr, "%s, xã %s, tỉnh Phú Thọ", PICK(hamlets, &seed),
				 a->agency_name);
			snprintf(phone, sizeof phone, "09%08u", next_rand(&seed) * 3000u + (unsigned)k);
			snprintf(id, sizeof id, "025%09d", k);
			snprintf(code, sizeof code, "%s-BENCH-%07d", a->agency, k);
			snprintf(summary, sizeof summary, "%s", PICK(sentences, &seed));
			st_dossier d;
			memset(&d, 0, sizeof d);
			d.r.resume_state = -1;
			snprintf(d.code, sizeof d.code, "%s", code);
			snprintf(d.r.agency, sizeof d.r.agency, "%s", a->agency);
			snprintf(d.origin, sizeof d.origin, "%s", a->agency);
			snprintf(d.procedure, sizeof d.procedure, "%s", proc);
			snprintf(d.channel, sizeof d.channel, "direct");
			snprintf(d.id_type, sizeof d.id_type, "cccd");
			snprintf(d.kind, sizeof d.kind, "person");
			d.name = name;
			d.id_number = id;
			d.phone = phone;
			d.email = (char *)"";
			d.address = addr;
			d.summary = summary;
			d.components = (char *)"[]";
			d.note = d.collected_by = d.org_name = d.representative = (char *)"";
			d.r.state = DSR_RECEIVED;
			d.r.received_at = d.submitted_at = now - (mc_time)(n - k) * 60;
			d.r.due_at = d.r.due_legal = d.r.received_at + 86400;
			d.updated_at = now;
			char *f = txt_fold(name);
			rc = st_dossier_insert(a->st, &d, f ? f : "", e);
			free(f);
			/* A page of a scanned paper, as OCR would give it. */
			sb page;
			sb_init(&page, 8192);
			for (int j = 0; j < 6; j++)
				sb_addf(&page, "%s. ", PICK(sentences, &seed));
			snprintf(ref, sizeof ref, "%s/%064d", code, k);
			if (!rc)
				rc = st_search_put(a->st, "file", ref, a->agency, name, sb_str(&page), e);
			sb_release(&page);
		}
		rc = st_end(a->st, rc, e);
	}
	return rc;
}
