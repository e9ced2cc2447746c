/*
 * catp_components.c - the "thành phần hồ sơ" (dossier components) parser
 * (see catp.h for the contract).
 */
#include "catp_int.h"

#include <unictype.h>
#include <unistr.h>

#define CATP_TABLE "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

/*
 * A quantity cell at p, which is a digit: "1 bản chính" or "0 bản chính,1 bản
 * sao" (the portal's format; one digit each), or "Bản chính: 1 Bản sao: 0".
 * start is the start of the table body. Returns the cell's length, 0 if p
 * is not a quantity cell but the same words inside a name ("nộp 01 bản chính
 * tờ khai", "(01 bản chính)").
 */
static size_t quantity_at(const char *start, const char *p, const char *b, int *orig, int *copies)
{
	const char *q, *j;
	*copies = 0;
	if (catp_has_prefix(p, b, "Bản chính:")) {
		q = p + strlen("Bản chính:");
		while (q < b && *q == ' ')
			q++;
		if (q >= b || !catp_is_digit((unsigned char)*q))
			return 0;
		{ long v = strtol(q, NULL, 10); *orig = v > 1000 ? 1000 : (int)v; } /* a real count is small */
		while (q < b && catp_is_digit((unsigned char)*q))
			q++;
		const char *r = q;
		while (r < b && (*r == ' ' || *r == ','))
			r++;
		if (catp_has_prefix(r, b, "Bản sao:")) {
			r += strlen("Bản sao:");
			while (r < b && *r == ' ')
				r++;
			if (r < b && catp_is_digit((unsigned char)*r)) {
				{ long v = strtol(r, NULL, 10); *copies = v > 1000 ? 1000 : (int)v; }
				while (r < b && catp_is_digit((unsigned char)*r))
					r++;
				q = r;
			}
		}
		return (size_t)(q - p);
	}
	if (!catp_is_digit((unsigned char)*p) || !catp_has_prefix(p + 1, b, " bản chính"))
		return 0;
	*orig = *p - '0';
	q = p + 1 + strlen(" bản chính");
	if (q + 1 < b && *q == ',' && catp_is_digit((unsigned char)q[1]) &&
	    catp_has_prefix(q + 2, b, " bản sao")) {
		*copies = q[1] - '0';
		q += 2 + strlen(" bản sao");
	}
	/* "01 bản chính" after a blank or "(" is prose: the portal writes the
	 * cell without a leading zero. A longer number glued to a name
	 * ("Mẫu số 18" + "1 bản chính") is a cell. */
	for (j = p; j > start && catp_is_digit((unsigned char)j[-1]); j--)
		;
	if (p > j && *j == '0' && (j == start || strchr(" (:\t\n\r", j[-1])))
		return 0;
	/* A cell is followed by the next row's name or the end; prose goes on
	 * with punctuation or a lower-case word. */
	if (q < b) {
		if (strchr(".;),:", *q))
			return 0;
		const char *r = q;
		while (r < b && *r == ' ')
			r++;
		if (r > q && r < b && uc_is_lower(catp_cp_at(r, b)))
			return 0;
	}
	return (size_t)(q - p);
}

static int ieq_suffix(const char *a, const char *b, const char *ext)
{
	size_t n = strlen(ext);
	if ((size_t)(b - a) < n)
		return 0;
	return strncasecmp(b - n, ext, n) == 0;
}

/*
 * What word_is_vietnamese last found: [from, to) are ASCII letters, and the
 * scan from `to` ends at once with `yes`, so the answer for any p in
 * [from, to] is `yes`. form_start asks at every capital while it walks back
 * over a row; without the memo an ASCII word of n letters with a capital in
 * every other place ("AbAbAb…") would be rescanned n/2 times. Valid for one
 * end b; from == NULL: empty.
 */
typedef struct {
	const char *from, *to;
	int yes;
} word_memo;

/* 1 if the letters of the word starting at p include a non-ASCII one. m
 * (in/out) remembers the scan for the next call with the same b. */
static int word_is_vietnamese(const char *p, const char *b, word_memo *m)
{
	const char *start = p;
	int yes = 0;
	while (p < b) {
		if (m->from && p >= m->from && p <= m->to) {
			yes = m->yes;
			p = m->to;
			break;
		}
		ucs4_t c = catp_cp_at(p, b);
		if (!uc_is_alpha(c))
			break;
		if (c >= 0x80) {
			yes = 1;
			break;
		}
		int k = u8_mblen((const uint8_t *)p, (size_t)(b - p));
		p += k > 0 ? k : 1;
	}
	/* everything passed over was one-byte letters */
	m->from = start;
	m->to = p;
	m->yes = yes;
	return yes;
}

/* 1 if the word ending just before p has a non-ASCII letter. The word
 * starts after a non-letter or at its capital, so in "kiểmMau" the word
 * before "Bankekhai" is "Mau". */
static int word_before_is_vietnamese(const char *a, const char *p, const char *b)
{
	for (const char *q = catp_back(p, a); q < p; q = catp_back(q, a)) {
		ucs4_t c = catp_cp_at(q, b);
		if (!uc_is_alpha(c))
			return 0;
		if (c >= 0x80)
			return 1;
		if (q == a || uc_is_upper(c))
			return 0;
	}
	return 0;
}

/* Issuing bodies that end a legal document number ("58/2024/NĐ-CP",
 * "80/2021/TT-BTC"), after which the portal glues the form file. */
static const char *issuers[] = { "CP",  "TTg",  "BTC",   "BCA",     "BXD", "BNNMT", "BNNPTNT",
				 "BYT", "BTP",  "BTNMT", "BLĐTBXH", "BNV", "BQP",   "BGTVT",
				 "BCT", "NHNN", "BKHĐT", "BTTTT",   "BVHTTDL" };

/* 1 if [a, p) ends with "/<kind>-<issuer>", e.g. "/NĐ-CP". */
static int after_legal_number(const char *a, const char *p)
{
	/* every issuer ends with an ASCII letter: a quick no at most places
	 * form_start asks about */
	if (p == a || !((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z')))
		return 0;
	for (size_t i = 0; i < MC_ARRAY_LEN(issuers); i++) {
		size_t n = strlen(issuers[i]);
		/* the length test first: p - n - 1 must not leave [a, p) */
		if ((size_t)(p - a) < n + 3)
			continue;
		const char *dash = p - n - 1;
		if (*dash != '-' || memcmp(p - n, issuers[i], n) != 0)
			continue;
		const char *q = dash;
		while (q > a && ((q[-1] >= 'A' && q[-1] <= 'Z') || ((unsigned char)q[-1] & 0x80)))
			q--;
		if (q > a && q[-1] == '/' && q < dash)
			return 1;
	}
	return 0;
}

/*
 * Whether a template file's name starts at p, glued to the text before it:
 * a capital after a Vietnamese word ("đăng kiểmMauBankekhai"), a capitalised
 * Vietnamese word after anything ("QĐ-TTgGiấy đề nghị.pdf"), anything after a
 * legal document number ("NĐ-CPMus06", "TT-BTC01-LP"), a capital after a date
 * ("25/01/2026Mau so 01") or a list number after a Vietnamese word
 * ("pháp luật2. 02.MGTH"). ASCII words otherwise stay together: file names
 * are often camel case ("MuCT01banhnhkm") or capitals ("MẪU ĐƠN").
 */
static int file_starts_at(const char *a, const char *p, const char *b, const char *ext,
			  word_memo *m)
{
	const char *prev = catp_back(p, a);
	ucs4_t c1 = catp_cp_at(prev, b), c2 = catp_cp_at(p, b);
	int k = u8_mblen((const uint8_t *)p, (size_t)(b - p));
	ucs4_t c3 = k > 0 ? catp_cp_at(p + k, b) : 0;
	if (prev == p || c2 == ' ')
		return 0;
	if (after_legal_number(a, p))
		return 1;
	if (catp_is_digit(c2) && uc_is_alpha(c1)) {
		const char *q = p;
		while (q < b && catp_is_digit((unsigned char)*q))
			q++;
		return q < ext && *q == '.' && word_before_is_vietnamese(a, p, b);
	}
	if (!uc_is_upper(c2))
		return 0;
	if (catp_is_digit(c1)) {
		const char *q = prev;
		while (q > a && catp_is_digit((unsigned char)q[-1]))
			q--;
		return q > a && q[-1] == '/';
	}
	if (!uc_is_alpha(c1))
		return 0;
	if (uc_is_lower(c3) && word_is_vietnamese(p, b, m))
		return 1;
	return uc_is_lower(c1) && word_before_is_vietnamese(a, p, b);
}

/* Where the template file name at the end of [a, b) starts (b if the row has
 * no file, a if the whole row is the file). The portal glues the form column
 * after the name with nothing between, so this looks for the likely seam. */
static const char *form_start(const char *a, const char *b)
{
	static const char *exts[] = { ".docx", ".doc", ".pdf", ".xlsx", ".xls", ".odt", ".rar", ".zip" };
	const char *p = NULL, *ext;
	word_memo memo = { NULL, NULL, 0 };
	for (size_t i = 0; i < MC_ARRAY_LEN(exts) && !p; i++) {
		if (ieq_suffix(a, b, exts[i]))
			p = b - strlen(exts[i]);
	}
	if (!p)
		return b;
	ext = p;
	/* "Mauon (3).docx", "…VUI CHƠI (dùng cho phương tiện …).docx" */
	if (p > a && p[-1] == ')') {
		int depth = 0;
		const char *q = p;
		while (q > a) {
			q--;
			if (*q == ')')
				depth++;
			else if (*q == '(' && --depth == 0)
				break;
		}
		if (depth == 0)
			p = q;
	}
	while (p > a) {
		const char *prev = catp_back(p, a);
		ucs4_t c = catp_cp_at(prev, b);
		if (c != 0 && c < 0x80 && strchr(");:\"\t\n\r", (int)c))
			break;
		if (c == 0x201C || c == 0x201D)
			break;
		if (c == '.' && !catp_is_digit(catp_cp_at(catp_back(prev, a), b))) {
			/* a sentence glued to a capitalised file name ("…ký
			 * thay.Mẫu TK05.doc") or to a numbered one ("…văn
			 * bản.1.MuCT01.doc"); "36.2025.TT-BNNMT" is one name */
			const char *q = p;
			while (q < b && catp_is_digit((unsigned char)*q))
				q++;
			if (uc_is_upper(catp_cp_at(p, b)) || (q > p && q < b && *q == '.'))
				break;
		}
		if (file_starts_at(a, p, b, ext, &memo))
			break;
		p = prev;
	}
	return p;
}

/* "mẫu NA17", "Mẫu số 02", "mẫu số 01/PH01-PH" named in a row's text; "" if
 * none names a code (a form code contains a digit). */
static char *form_code(const char *name)
{
	static const char *words[] = { "mẫu", "Mẫu", "MẪU" };
	const char *b = name + strlen(name);
	/* [bare, bare_end]: where the last candidate that had no digit started
	 * and ended. A later one starting in there ends at the same separator,
	 * so it has no digit either; skipping it keeps "-mẫu-mẫu-mẫu…" (one long
	 * candidate per "mẫu") linear. */
	const char *bare = NULL, *bare_end = NULL;
	for (const char *p = name; *p; p++) {
		size_t wn = 0;
		for (size_t i = 0; i < MC_ARRAY_LEN(words) && !wn; i++) {
			if (catp_has_prefix(p, b, words[i]))
				wn = strlen(words[i]);
		}
		if (!wn || (p > name && uc_is_alpha(catp_cp_at(catp_back(p, name), b))))
			continue;
		const char *q = p + wn;
		while (*q == ' ')
			q++;
		if (catp_has_prefix(q, b, "số ") || catp_has_prefix(q, b, "Số "))
			q += strlen("số ");
		while (*q == ' ')
			q++;
		if (bare && q >= bare && q <= bare_end)
			continue;
		const char *t = q;
		int digit = 0;
		while (*t && !strchr(" ,;()\t\n", *t)) {
			digit |= catp_is_digit((unsigned char)*t);
			t++;
		}
		if (!digit) {
			bare = q;
			bare_end = t;
			continue;
		}
		/* what is cut below holds no digit, so t stays past q */
		if (t - q > 4 && (ieq_suffix(q, t, ".doc") || ieq_suffix(q, t, ".pdf")))
			t -= 4;
		else if (t - q > 5 && ieq_suffix(q, t, ".docx"))
			t -= 5;
		while (t > q && (t[-1] == '.' || t[-1] == ':'))
			t--;
		if (t > q)
			return mc_xstrndup(p, (size_t)(t - p));
	}
	return mc_xstrdup("");
}

/* A row's name without list bullets (or a stray leading '.') and a closing
 * ';' or ','. */
static char *clean_name(const char *a, const char *b)
{
	catp_trim(&a, &b);
	while (a < b && strchr("-+*.", *a)) {
		a++;
		catp_trim(&a, &b);
	}
	if (catp_has_prefix(a, b, "•")) {
		a += strlen("•");
		catp_trim(&a, &b);
	}
	while (b > a && (b[-1] == ';' || b[-1] == ',')) {
		b--;
		catp_trim(&a, &b);
	}
	return catp_dup_squeeze(a, b);
}

static void add_component(catp_components *out, size_t *cap, const char *group, const char *a,
			  const char *b, const char *qa, const char *qb, int orig, int copies)
{
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		out->v = mc_xrealloc(out->v, *cap * sizeof *out->v);
	}
	catp_component *c = &out->v[out->n++];
	const char *f = form_start(a, b);
	c->group = mc_xstrdup(group);
	if (f == a) {
		/* the whole cell is a file name: it names the document too */
		c->name = catp_dup_squeeze(a, b);
		c->form = catp_dup_trim(a, b);
	} else {
		c->name = clean_name(a, f);
		while (f < b && (*f == '.' || *f == ' '))
			f++;
		c->form = catp_dup_trim(f, b);
	}
	c->form_code = form_code(c->name);
	c->quantity = mc_xstrndup(qa, (size_t)(qb - qa));
	c->originals = orig;
	c->copies = copies;
	if (c->name[0])
		out->parsed++;
	else
		out->unparsed++;
}

/* Cuts one table body [a, b) into rows; returns where the text after the
 * last quantity cell starts (the next table's heading, or leftover). */
static const char *parse_rows(const char *a, const char *b, const char *group,
			      catp_components *out, size_t *cap)
{
	const char *row = a;
	for (const char *p = a; p < b; p++) {
		int orig, copies;
		size_t n;
		if (!catp_is_digit((unsigned char)*p) && *p != 'B')
			continue;
		n = quantity_at(a, p, b, &orig, &copies);
		if (!n)
			continue;
		add_component(out, cap, group, row, p, p, p + n, orig, copies);
		row = p + n;
		p = row - 1;
	}
	return row;
}

/* A table's heading: "--" (the portal's "no heading") becomes "". */
static char *heading(const char *a, const char *b)
{
	char *h = catp_dup_squeeze(a, b);
	if (strspn(h, "-") == strlen(h))
		h[0] = 0;
	return h;
}

int catp_components_parse(const char *s, catp_components *out)
{
	const char *a = s, *b = s + strlen(s);
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	catp_trim(&a, &b);
	const char *t = catp_find(a, b, CATP_TABLE);
	if (!t) {
		out->leftover = catp_dup_trim(a, b);
		if (out->leftover[0])
			out->unparsed++;
		return 0;
	}
	char *group = heading(a, t);
	const char *p = t + strlen(CATP_TABLE);
	for (;;) {
		const char *next = catp_find(p, b, CATP_TABLE), *end = next ? next : b;
		const char *tail = parse_rows(p, end, group, out, &cap);
		free(group);
		if (!next) {
			out->leftover = catp_dup_trim(tail, end);
			if (out->leftover[0])
				out->unparsed++;
			break;
		}
		group = heading(tail, next);
		p = next + strlen(CATP_TABLE);
	}
	return out->n > 0 && out->unparsed == 0;
}

void catp_components_release(catp_components *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].group);
		free(c->v[i].name);
		free(c->v[i].form);
		free(c->v[i].form_code);
		free(c->v[i].quantity);
	}
	free(c->v);
	free(c->leftover);
	memset(c, 0, sizeof *c);
}
