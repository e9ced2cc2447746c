/*
 * catp_fee.c - the amount a catalog entry states for its fee or charge
 * (phí, lệ phí), when it states exactly one, and how a dossier component
 * applies (conditional, one channel only); see catp.h.
 */
#include "catp_int.h"

#include <unistr.h>

#include "txt.h"

/* Case-insensitive ASCII/UTF-8 prefix test for the few currency words. */
static size_t currency_at(const char *p, const char *b)
{
	static const char *const words[] = { "Việt Nam Đồng", "việt nam đồng", "VNĐ", "VND", "vnđ",
					     "vnd", "Vnđ", "đồng", "Đồng", "ĐỒNG", "đ", "Đ" };
	while (p < b && *p == ' ')
		p++;
	for (size_t i = 0; i < MC_ARRAY_LEN(words); i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(b - p) < n || memcmp(p, words[i], n) != 0)
			continue;
		/* "đ" alone must end the word ("đ/tờ khai"), not start one
		 * ("đối với"). */
		if (n <= 2 && p + n < b) {
			ucs4_t c;
			u8_mbtouc(&c, (const uint8_t *)(p + n), (size_t)(b - p - n));
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
				continue;
		}
		return n;
	}
	return 0;
}

/* The amounts in đồng written in [a, b): a number (thousands grouped by '.'
 * or ',' in threes, or none) followed by a currency word. OUT: up to max in
 * v. Returns how many were found (may exceed max); -1 if a number is too
 * large to be a fee. */
static int amounts(const char *a, const char *b, int64_t *v, int max)
{
	int n = 0;
	for (const char *p = a; p < b; p++) {
		if (!catp_is_digit((unsigned char)*p) || (p > a && (catp_is_digit((unsigned char)p[-1]) ||
								   p[-1] == '.' || p[-1] == ',')))
			continue;
		int64_t x = 0;
		const char *q = p;
		int digits = 0, group = 0, grouped = 0;
		while (q < b) {
			if (catp_is_digit((unsigned char)*q)) {
				if (x > INT64_MAX / 100)
					return -1;
				x = x * 10 + (*q - '0');
				digits++;
				group++;
				q++;
			} else if ((*q == '.' || *q == ',') && q + 3 < b + 0 &&
				   catp_is_digit((unsigned char)q[1]) &&
				   catp_is_digit((unsigned char)q[2]) &&
				   catp_is_digit((unsigned char)q[3]) &&
				   (q + 4 >= b || !catp_is_digit((unsigned char)q[4])) &&
				   (grouped ? group == 3 : group <= 3)) {
				grouped = 1;
				group = 0;
				q++;
			} else {
				break;
			}
		}
		if (grouped && group != 3)
			continue;
		size_t c = currency_at(q, b);
		if (c && digits) {
			if (n < max)
				v[n] = x;
			n++;
		}
		p = q - 1;
	}
	return n;
}

/* The distinct values of v[0..n). */
static int distinct(int64_t *v, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int j = 0; j < k; j++)
			seen |= v[j] == v[i];
		if (!seen)
			v[k++] = v[i];
	}
	return k;
}

static int starts_ci(const char *s, const char *w)
{
	/* the catalog writes "Miễn phí", "miễn phí", "Miễn lệ phí" */
	size_t n = strlen(w);
	return strncmp(s, w, n) == 0;
}

int catp_fee_amount(const char *fee, const char *note, int64_t *amount)
{
	enum { MAX = 16 };
	int64_t f[MAX], m[MAX];
	const char *s = fee ? fee : "";
	while (*s == ' ')
		s++;
	int nf = amounts(s, s + strlen(s), f, MAX);
	int nm = note ? amounts(note, note + strlen(note), m, MAX) : 0;
	if (nf < 0 || nm < 0 || nf > MAX || nm > MAX)
		return 0;
	/* an amount in another currency ("50USD/chuyến bay") is not in đồng */
	if ((note && strstr(note, "USD")) || strstr(s, "USD"))
		return 0;
	nf = distinct(f, nf);
	nm = distinct(m, nm);
	if (nf == 0 && (starts_ci(s, "Miễn") || starts_ci(s, "miễn") || starts_ci(s, "Không thu") ||
			starts_ci(s, "không thu"))) {
		if (nm)
			return 0; /* "free" but a note names an amount: unsettled */
		*amount = 0;
		return 1;
	}
	if (nf == 1 && (nm == 0 || (nm == 1 && m[0] == f[0]))) {
		*amount = f[0];
		return 1;
	}
	if (nf == 0 && nm == 1 && s[0] == 0) {
		*amount = m[0];
		return 1;
	}
	return 0;
}

/* ---- how a component applies ---- */

/* Skips list marks before a component's words: "- ", "+ ", "* ", "•",
 * "(iv) ", "a) ", "1. ". */
static const char *after_marks(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '-' || *s == '+' || *s == '*' || *s == '.')
			s++;
		if (strncmp(s, "•", strlen("•")) == 0) {
			s += strlen("•");
			continue;
		}
		const char *p = s;
		if (*p == '(')
			p++;
		const char *q = p;
		while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
			q++;
		if (q > p && q - p <= 4 && (*q == ')' || (*q == '.' && p == s && q[1] == ' '))) {
			s = q + 1;
			continue;
		}
		return s;
	}
}

static int starts(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

int catp_component_kind(const char *name)
{
	char *f = txt_fold(name ? name : "");
	if (!f)
		return 0;
	const char *s = after_marks(f);
	int k = 0;
	/* A condition named first: "Trường hợp ...", "Đối với trường hợp
	 * ...", "Nếu ...", or a paper needed "trong trường hợp ..." or "(nếu
	 * có)". */
	int cond_first = starts(s, "truong hop ") || starts(s, "doi voi truong hop ") ||
			 starts(s, "rieng truong hop ") || starts(s, "trong truong hop ") ||
			 starts(s, "neu ");
	if (cond_first || strstr(s, " trong truong hop ") || strstr(s, "(neu co)"))
		k |= CATP_COMP_CONDITIONAL;
	/* Online only: the interactive electronic form, or a paper asked "if
	 * the applicant files online" (and not also for the desk). */
	int online = strstr(s, "dien tu tuong tac") != NULL ||
		     ((strstr(s, "hinh thuc truc tuyen") || strstr(s, "ho so truc tuyen") ||
		       strstr(s, "khai sinh truc tuyen") || strstr(s, "ket hon truc tuyen") ||
		       strstr(s, "cha, me, con truc tuyen")) &&
		      !strstr(s, "truc tiep"));
	if (online)
		k |= CATP_COMP_ONLINE_ONLY;
	/* Postal only: a condition naming the postal service. */
	const char *b = strstr(s, "buu chinh");
	if (!online && cond_first && b && b - s < 160 && !strstr(s, "truc tiep"))
		k |= CATP_COMP_POSTAL_ONLY;
	free(f);
	return k;
}
