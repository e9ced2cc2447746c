/*
 * words.c - amounts of money in Vietnamese words, as a fee slip or a
 * receipt writes them under the figure ("Bằng chữ: ...").
 */
#include "doc/doc.h"

#include <string.h>

#include "sb.h"

static const char *const digit[] = { "không", "một", "hai", "ba", "bốn",
				     "năm", "sáu", "bảy", "tám", "chín" };

/* One group of three digits, v in 0..999. full: a group after a higher one,
 * read with its hundreds even when they are 0 ("không trăm lẻ năm"). */
static void group(sb *b, int v, int full)
{
	int h = v / 100, t = v / 10 % 10, u = v % 10;
	if (full || h) {
		sb_addf(b, " %s trăm", digit[h]);
		if (t == 0 && u)
			sb_add(b, " lẻ");
	}
	if (t == 1)
		sb_add(b, " mười");
	else if (t > 1)
		sb_addf(b, " %s mươi", digit[t]);
	if (!u)
		return;
	if (u == 1 && t > 1)
		sb_add(b, " mốt");
	else if (u == 5 && t > 0)
		sb_add(b, " lăm");
	else
		sb_addf(b, " %s", digit[u]);
}

void doc_money_words(int64_t dong, char *out, size_t size)
{
	static const char *const scale[] = { "", " nghìn", " triệu", " tỷ", " nghìn tỷ" };
	if (size)
		out[0] = 0;
	if (dong < 0 || dong >= 1000000000000000LL || size == 0)
		return;
	sb b;
	sb_init(&b, 1024);
	if (dong == 0) {
		sb_add(&b, " không");
	} else {
		int groups[5], n = 0;
		for (int64_t v = dong; v; v /= 1000)
			groups[n++] = (int)(v % 1000);
		for (int i = n - 1; i >= 0; i--) {
			if (!groups[i])
				continue;
			group(&b, groups[i], i < n - 1);
			sb_add(&b, scale[i]);
		}
	}
	sb_add(&b, " đồng");
	const char *s = sb_str(&b) + 1; /* the leading space */
	snprintf(out, size, "%c%s", s[0] - 'a' + 'A', s + 1);
	sb_release(&b);
}
