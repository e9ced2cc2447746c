/*
 * catp_results.c - the "kết quả xử lý" (results) parser (see catp.h for the
 * contract).
 */
#include "catp_int.h"

/* End of a result code at p: "KQ.G01.00263", "000.00.00.G11-KQ3554". The
 * next result's name follows without a space, so a letter right after a
 * digit, or any non-ASCII character, ends the code. */
static const char *code_end(const char *p, const char *b)
{
	const char *q = p;
	while (q < b) {
		unsigned char c = (unsigned char)*q;
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || catp_is_digit(c) ||
			 c == '.' || c == '-' || c == '_' || c == '/';
		if (!ok)
			break;
		if (q > p && catp_is_digit((unsigned char)q[-1]) &&
		    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			break;
		q++;
	}
	while (q > p && (q[-1] == '.' || q[-1] == '-'))
		q--;
	return q;
}

static void add_result(catp_results *out, size_t *cap, char *name, char *code)
{
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		out->v = mc_xrealloc(out->v, *cap * sizeof *out->v);
	}
	out->v[out->n].name = name;
	out->v[out->n].code = code;
	out->n++;
	if (name[0] && code[0])
		out->parsed++;
	else
		out->unparsed++;
}

int catp_results_parse(const char *s, catp_results *out)
{
	const char *a = s, *b = s + strlen(s), *k;
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	/* the page's keyword and description boxes and the agency picker
	 * follow the results */
	k = catp_find(a, b, "Từ khóa");
	if (k)
		b = k;
	catp_trim(&a, &b);
	const char *p = a;
	while (p < b) {
		const char *m = catp_find(p, b, "Mã:");
		if (!m) {
			if (!catp_is_blank(p, b))
				add_result(out, &cap, catp_dup_squeeze(p, b), mc_xstrdup(""));
			break;
		}
		const char *c = m + strlen("Mã:");
		while (c < b && *c == ' ')
			c++;
		const char *e = code_end(c, b);
		add_result(out, &cap, catp_dup_squeeze(p, m), mc_xstrndup(c, (size_t)(e - c)));
		p = e > c ? e : c;
	}
	return out->n > 0 && out->unparsed == 0;
}

void catp_results_release(catp_results *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].code);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
