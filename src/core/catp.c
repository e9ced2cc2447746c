#include "catp.h"

#include "dl.h"
#include "txt.h"

#include <unictype.h>
#include <unistr.h>

/* ---- helpers over byte ranges [a, b) of UTF-8 text ---- */

static int has_prefix(const char *a, const char *b, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(b - a) >= n && memcmp(a, lit, n) == 0;
}

static const char *find(const char *a, const char *b, const char *lit)
{
	return memmem(a, (size_t)(b - a), lit, strlen(lit));
}

static int is_digit(ucs4_t c)
{
	return c >= '0' && c <= '9';
}

/* The code point at p (0 at the end). */
static ucs4_t cp_at(const char *p, const char *b)
{
	ucs4_t uc;
	if (p >= b)
		return 0;
	u8_mbtouc(&uc, (const uint8_t *)p, (size_t)(b - p));
	return uc;
}

/* Start of the code point before p (not before a). */
static const char *back(const char *p, const char *a)
{
	if (p <= a)
		return a;
	p--;
	while (p > a && ((unsigned char)*p & 0xC0) == 0x80)
		p--;
	return p;
}

/* Width of a blank at p: ASCII white space or a no-break space (the portal
 * pads cells with &nbsp;), 0 if none. */
static size_t blank_at(const char *p, const char *b)
{
	if (p < b && (*p == ' ' || (*p >= '\t' && *p <= '\r')))
		return 1;
	if (has_prefix(p, b, "\xc2\xa0"))
		return 2;
	return 0;
}

static void trim(const char **a, const char **b)
{
	size_t k;
	while ((k = blank_at(*a, *b)))
		*a += k;
	while (*b > *a) {
		if (strchr(" \t\n\r\v\f", (*b)[-1]))
			(*b)--;
		else if (*b - *a >= 2 && has_prefix(*b - 2, *b, "\xc2\xa0"))
			*b -= 2;
		else
			break;
	}
}

static int is_blank(const char *a, const char *b)
{
	trim(&a, &b);
	return a == b;
}

static char *dup_trim(const char *a, const char *b)
{
	trim(&a, &b);
	return mc_xstrndup(a, (size_t)(b - a));
}

/* Trimmed copy with every run of blanks turned into one space: names and
 * headings, where the portal's line breaks and padding carry no meaning. */
static char *dup_squeeze(const char *a, const char *b)
{
	trim(&a, &b);
	char *out = mc_xmalloc((size_t)(b - a) + 1);
	size_t o = 0, k;
	while (a < b) {
		if ((k = blank_at(a, b))) {
			while ((k = blank_at(a, b)))
				a += k;
			out[o++] = ' ';
		} else {
			out[o++] = *a++;
		}
	}
	out[o] = 0;
	return out;
}

/* Length of a run [0-9][0-9.,]* at p. */
static size_t num_run(const char *p, const char *b)
{
	const char *q = p;
	if (q >= b || !is_digit((unsigned char)*q))
		return 0;
	while (q < b && (is_digit((unsigned char)*q) || *q == '.' || *q == ','))
		q++;
	return (size_t)(q - p);
}

/* ---- channels ---- */

static const char *chan_names[] = { "direct", "online", "postal" };
static const char *chan_labels[] = { "Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính" };

#define CATP_COLUMNS "Hình thức nộpThời gianPhí, lệ phíMô tả"

const char *catp_channel_name(int channel)
{
	if (channel < 0 || channel >= (int)MC_ARRAY_LEN(chan_names))
		return "";
	return chan_names[channel];
}

int catp_channel_parse(const char *name)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(chan_names); i++) {
		if (strcmp(name, chan_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

static const struct {
	const char *text;
	int unit;
} units[] = {
	/* longest first: "Ngày" is a prefix of "Ngày làm việc" */
	{ "Ngày làm việc", DL_WORKING_DAYS },  { "ngày làm việc", DL_WORKING_DAYS },
	{ "Giờ làm việc", DL_WORKING_HOURS },  { "giờ làm việc", DL_WORKING_HOURS },
	{ "Ngày", DL_CALENDAR_DAYS },          { "ngày", DL_CALENDAR_DAYS },
	{ "Giờ", DL_WORKING_HOURS },           { "giờ", DL_WORKING_HOURS },
};

static const struct {
	const char *text;
	int status;
} time_words[] = {
	{ "Trong ngày làm việc", CATP_TIME_OK },
	{ "Trong ngày", CATP_TIME_OK },
	{ "Không có thông tin", CATP_TIME_MISSING },
	{ "Không quy định", CATP_TIME_NONE },
	{ "Không phải trả kết quả cho người nộp thuế", CATP_TIME_NONE },
	{ "Không", CATP_TIME_NONE }, /* last: a prefix of the others */
};

static const char *currencies[] = { "Việt Nam Đồng", "VNĐ", "VND", "USD", "Đồng", "đồng" };

static size_t currency_at(const char *p, const char *b)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(currencies); i++) {
		if (has_prefix(p, b, currencies[i]))
			return strlen(currencies[i]);
	}
	return 0;
}

/* Length of an amount with its currency at p ("25,000 Việt Nam Đồng"), 0 if
 * none. */
static size_t money_at(const char *p, const char *b)
{
	size_t n = num_run(p, b), c;
	if (!n)
		return 0;
	const char *q = p + n;
	if (q < b && *q == ' ')
		q++;
	c = currency_at(q, b);
	return c ? (size_t)(q + c - p) : 0;
}

/* Length of a fee cell at p, 0 if there is none. */
static size_t fee_at(const char *p, const char *b)
{
	if (has_prefix(p, b, "Miễn phí"))
		return strlen("Miễn phí");
	if (has_prefix(p, b, "Không có thông tin"))
		return strlen("Không có thông tin");
	return money_at(p, b);
}

/* Parses "7", "0,5", "1.5" exactly filling [p, p+n); -1 if it does not. */
static double parse_amount(const char *p, size_t n)
{
	char buf[32];
	size_t i = 0, seps = 0;
	if (n == 0 || n >= sizeof buf)
		return -1;
	for (i = 0; i < n; i++) {
		buf[i] = p[i];
		if (p[i] == ',' || p[i] == '.') {
			buf[i] = '.';
			seps++;
		}
	}
	buf[n] = 0;
	if (seps > 1 || buf[n - 1] == '.')
		return -1;
	return strtod(buf, NULL);
}

/*
 * Reads the time cell at the start of [a, b). Sets ch's time fields and
 * returns where the fee cell starts. *glued is set when the cell is a bare
 * number run into a money amount ("120 VNĐ"): the caller splits it once the
 * fee note is known.
 */
static const char *parse_time(const char *a, const char *b, catp_channel *ch, int *glued)
{
	size_t n = num_run(a, b);
	*glued = 0;
	if (n) {
		const char *q = a + n;
		if (money_at(a, b)) {
			*glued = 1;
			ch->time_status = CATP_TIME_BAD; /* until split_glued cuts it */
			ch->time_text = mc_xstrdup("");
			return a;
		}
		double v = parse_amount(a, n);
		if (v < 0) {
			ch->time_status = CATP_TIME_BAD;
			ch->time_text = mc_xstrndup(a, n);
			return q;
		}
		ch->amount = v;
		while (q < b && *q == ' ')
			q++;
		for (size_t i = 0; i < MC_ARRAY_LEN(units); i++) {
			if (has_prefix(q, b, units[i].text)) {
				q += strlen(units[i].text);
				ch->time_status = CATP_TIME_OK;
				ch->unit = units[i].unit;
				ch->time_text = mc_xstrndup(a, (size_t)(q - a));
				return q;
			}
		}
		/* The portal lets an agency leave the unit empty: a bare number. */
		ch->time_status = CATP_TIME_NOUNIT;
		ch->time_text = mc_xstrndup(a, n);
		return a + n;
	}
	for (size_t i = 0; i < MC_ARRAY_LEN(time_words); i++) {
		if (has_prefix(a, b, time_words[i].text)) {
			const char *q = a + strlen(time_words[i].text);
			ch->time_status = time_words[i].status;
			if (ch->time_status == CATP_TIME_OK) {
				ch->amount = 1;
				ch->unit = DL_SAME_DAY;
			}
			ch->time_text = mc_xstrndup(a, (size_t)(q - a));
			return q;
		}
	}
	/* Free text in the time cell: it runs up to the first fee cell. A
	 * number that does not start an amount is skipped whole: every later
	 * digit of it ends where it does, before the same non-currency, so
	 * trying each one would only rescan the rest of the number (quadratic
	 * on a long run of digits). */
	const char *q = a;
	while (q < b && !fee_at(q, b)) {
		size_t k = num_run(q, b);
		q += k ? k : 1;
	}
	ch->time_status = CATP_TIME_BAD;
	ch->time_text = dup_trim(a, q);
	return q;
}

/* Digits of the first amount in a fee note ("20.000 vnđ/tờ khai" -> "20000")
 * into out (size bytes); "" if none. */
static void note_amount(const char *note, char *out, size_t size)
{
	size_t o = 0;
	const char *p = note;
	while (*p && !is_digit((unsigned char)*p))
		p++;
	while (*p && (is_digit((unsigned char)*p) || *p == '.' || *p == ',') && o + 1 < size) {
		if (is_digit((unsigned char)*p))
			out[o++] = *p;
		p++;
	}
	out[o] = 0;
}

/*
 * A bare time glued to a money amount, "Trực tuyến120 VNĐ(20.000 vnđ /tờ
 * khai)": the time was 1 and the fee 20 (thousand). Only the note can tell
 * where the cut is, so cut only where the rest equals the note's amount (or
 * the amount in thousands). On success moves the leading digits of ch->fee
 * into the time and returns 1.
 */
static int split_glued(catp_channel *ch)
{
	char note[32], digits[32];
	size_t nd = 0;
	const char *f = ch->fee;
	note_amount(ch->fee_note, note, sizeof note);
	if (!note[0])
		return 0;
	for (const char *p = f; *p && (is_digit((unsigned char)*p) || *p == ',' || *p == '.'); p++) {
		if (is_digit((unsigned char)*p) && nd + 1 < sizeof digits)
			digits[nd++] = *p;
	}
	digits[nd] = 0;
	for (size_t k = 1; k <= 2 && k < nd; k++) {
		const char *rest = digits + k;
		size_t rn = strlen(rest), an = strlen(note);
		int same = strcmp(rest, note) == 0;
		int thousands = an == rn + 3 && strncmp(note, rest, rn) == 0 &&
				strcmp(note + rn, "000") == 0;
		if (digits[0] == '0' || rest[0] == '0' || !(same || thousands))
			continue;
		/* the time digits must not straddle a separator of the fee */
		for (size_t i = 0; i < k; i++) {
			if (!is_digit((unsigned char)f[i]))
				return 0;
		}
		char tm[3] = { digits[0], k == 2 ? digits[1] : 0, 0 };
		ch->amount = (double)strtol(tm, NULL, 10);
		free(ch->time_text);
		ch->time_text = mc_xstrdup(tm);
		char *fee = mc_xstrdup(f + k);
		free(ch->fee);
		ch->fee = fee;
		ch->time_status = CATP_TIME_NOUNIT;
		return 1;
	}
	return 0;
}

/*
 * A bare number takes its unit from the description when that names the same
 * number with a unit: "1" and "… trong 01 ngày làm việc kể từ …".
 */
static void infer_unit(catp_channel *ch)
{
	static const struct {
		const char *text;
		int unit;
	} folded_units[] = {
		{ "ngay lam viec", DL_WORKING_DAYS },
		{ "gio lam viec", DL_WORKING_HOURS },
		{ "ngay", DL_CALENDAR_DAYS },
		{ "gio", DL_WORKING_HOURS },
	};
	/* whole numbers only; the bound keeps the cast to long defined */
	if (ch->amount <= 0 || ch->amount > 1e6 || ch->amount != (double)(long)ch->amount)
		return;
	char *f = txt_fold(ch->description);
	if (!f)
		return;
	for (const char *p = f; *p; p++) {
		if (!is_digit((unsigned char)*p) || (p > f && (is_digit((unsigned char)p[-1]) ||
							      p[-1] == '.' || p[-1] == ',')))
			continue;
		char *end;
		long v = strtol(p, &end, 10);
		if (v != (long)ch->amount || *end == '.' || *end == ',') {
			p = end - 1;
			continue;
		}
		if (*end == ' ')
			end++;
		for (size_t i = 0; i < MC_ARRAY_LEN(folded_units); i++) {
			size_t n = strlen(folded_units[i].text);
			if (strncmp(end, folded_units[i].text, n) == 0 &&
			    !(end[n] >= 'a' && end[n] <= 'z')) {
				ch->unit = folded_units[i].unit;
				ch->time_status = CATP_TIME_OK;
				ch->inferred = 1;
				free(f);
				return;
			}
		}
		p = end - 1;
	}
	free(f);
}

/* The text inside the parentheses at *pp (which is '('), advancing *pp past
 * them; an unclosed note runs to b. */
static char *take_note(const char **pp, const char *b)
{
	const char *p = *pp, *q;
	int depth = 0;
	for (q = p; q < b; q++) {
		if (*q == '(') {
			depth++;
		} else if (*q == ')' && --depth == 0) {
			break;
		}
	}
	char *note;
	if (q < b) {
		note = dup_trim(p + 1, q);
		q++;
		/* "((note))" and "(note))" both occur */
		while (q < b && *q == ')')
			q++;
	} else {
		note = dup_trim(p + 1, b);
	}
	*pp = q;
	size_t n = strlen(note);
	if (n >= 2 && note[0] == '(' && note[n - 1] == ')' && !memchr(note + 1, '(', n - 2)) {
		char *inner = dup_trim(note + 1, note + n - 1);
		free(note);
		note = inner;
	}
	return note;
}

static void parse_channel(const char *a, const char *b, catp_channel *ch)
{
	int glued;
	const char *p = parse_time(a, b, ch, &glued), *q;
	while (p < b && *p == ' ')
		p++;
	size_t n = fee_at(p, b);
	ch->fee = mc_xstrndup(p, n);
	p += n;
	for (q = p; q < b && *q == ' '; q++)
		;
	if (n && q < b && *q == '(') {
		p = q;
		ch->fee_note = take_note(&p, b);
	} else {
		ch->fee_note = mc_xstrdup("");
	}
	ch->description = dup_trim(p, b);
	if (glued && !split_glued(ch))
		ch->time_status = CATP_TIME_BAD;
	if (ch->time_status == CATP_TIME_NOUNIT)
		infer_unit(ch);
	ch->has_time = ch->time_status == CATP_TIME_OK;
}

/* A channel title at p starting a table row: cells are glued without a
 * space, so the time cell follows at once and starts with a digit or a
 * capital ("7 Ngày", "Không có thông tin"), while the same words in running
 * text are followed by a space or punctuation. */
static int header_at(const char *p, const char *b, int *chan, size_t *len)
{
	for (int c = 0; c < (int)MC_ARRAY_LEN(chan_labels); c++) {
		size_t n = strlen(chan_labels[c]);
		if (has_prefix(p, b, chan_labels[c])) {
			ucs4_t next = cp_at(p + n, b);
			if (is_digit(next) || uc_is_upper(next)) {
				*chan = c;
				*len = n;
				return 1;
			}
		}
	}
	return 0;
}

static void add_channel(catp_channels *out, size_t *cap, int chan, const char *a, const char *b)
{
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		out->v = mc_xrealloc(out->v, *cap * sizeof *out->v);
	}
	catp_channel *ch = &out->v[out->n++];
	memset(ch, 0, sizeof *ch);
	ch->channel = chan;
	ch->unit = -1;
	parse_channel(a, b, ch);
	if (ch->time_status == CATP_TIME_OK || ch->time_status == CATP_TIME_NONE)
		out->parsed++;
	else
		out->unparsed++;
}

int catp_channels_parse(const char *s, catp_channels *out)
{
	const char *a = s, *b = s + strlen(s), *cur = NULL;
	size_t cap = 0, len;
	int chan, cur_chan = 0;
	memset(out, 0, sizeof *out);
	trim(&a, &b);
	if (has_prefix(a, b, CATP_COLUMNS))
		a += strlen(CATP_COLUMNS);
	for (const char *p = a; p < b; p++) {
		/* every title starts with an ASCII 'T' or 'D' */
		if ((*p != 'T' && *p != 'D') || !header_at(p, b, &chan, &len))
			continue;
		if (cur)
			add_channel(out, &cap, cur_chan, cur, p);
		else if (!is_blank(a, p))
			out->unparsed++;
		cur = p + len;
		cur_chan = chan;
		p += len - 1;
	}
	if (cur)
		add_channel(out, &cap, cur_chan, cur, b);
	else if (a < b)
		out->unparsed++;
	return out->n > 0 && out->unparsed == 0;
}

void catp_channels_release(catp_channels *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].time_text);
		free(c->v[i].fee);
		free(c->v[i].fee_note);
		free(c->v[i].description);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* ---- components ---- */

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
	if (has_prefix(p, b, "Bản chính:")) {
		q = p + strlen("Bản chính:");
		while (q < b && *q == ' ')
			q++;
		if (q >= b || !is_digit((unsigned char)*q))
			return 0;
		{ long v = strtol(q, NULL, 10); *orig = v > 1000 ? 1000 : (int)v; } /* a real count is small */
		while (q < b && is_digit((unsigned char)*q))
			q++;
		const char *r = q;
		while (r < b && (*r == ' ' || *r == ','))
			r++;
		if (has_prefix(r, b, "Bản sao:")) {
			r += strlen("Bản sao:");
			while (r < b && *r == ' ')
				r++;
			if (r < b && is_digit((unsigned char)*r)) {
				{ long v = strtol(r, NULL, 10); *copies = v > 1000 ? 1000 : (int)v; }
				while (r < b && is_digit((unsigned char)*r))
					r++;
				q = r;
			}
		}
		return (size_t)(q - p);
	}
	if (!is_digit((unsigned char)*p) || !has_prefix(p + 1, b, " bản chính"))
		return 0;
	*orig = *p - '0';
	q = p + 1 + strlen(" bản chính");
	if (q + 1 < b && *q == ',' && is_digit((unsigned char)q[1]) && has_prefix(q + 2, b, " bản sao")) {
		*copies = q[1] - '0';
		q += 2 + strlen(" bản sao");
	}
	/* "01 bản chính" after a blank or "(" is prose: the portal writes the
	 * cell without a leading zero. A longer number glued to a name
	 * ("Mẫu số 18" + "1 bản chính") is a cell. */
	for (j = p; j > start && is_digit((unsigned char)j[-1]); j--)
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
		if (r > q && r < b && uc_is_lower(cp_at(r, b)))
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
		ucs4_t c = cp_at(p, b);
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
	for (const char *q = back(p, a); q < p; q = back(q, a)) {
		ucs4_t c = cp_at(q, b);
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
	const char *prev = back(p, a);
	ucs4_t c1 = cp_at(prev, b), c2 = cp_at(p, b);
	int k = u8_mblen((const uint8_t *)p, (size_t)(b - p));
	ucs4_t c3 = k > 0 ? cp_at(p + k, b) : 0;
	if (prev == p || c2 == ' ')
		return 0;
	if (after_legal_number(a, p))
		return 1;
	if (is_digit(c2) && uc_is_alpha(c1)) {
		const char *q = p;
		while (q < b && is_digit((unsigned char)*q))
			q++;
		return q < ext && *q == '.' && word_before_is_vietnamese(a, p, b);
	}
	if (!uc_is_upper(c2))
		return 0;
	if (is_digit(c1)) {
		const char *q = prev;
		while (q > a && is_digit((unsigned char)q[-1]))
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
		const char *prev = back(p, a);
		ucs4_t c = cp_at(prev, b);
		if (c != 0 && c < 0x80 && strchr(");:\"\t\n\r", (int)c))
			break;
		if (c == 0x201C || c == 0x201D)
			break;
		if (c == '.' && !is_digit(cp_at(back(prev, a), b))) {
			/* a sentence glued to a capitalised file name ("…ký
			 * thay.Mẫu TK05.doc") or to a numbered one ("…văn
			 * bản.1.MuCT01.doc"); "36.2025.TT-BNNMT" is one name */
			const char *q = p;
			while (q < b && is_digit((unsigned char)*q))
				q++;
			if (uc_is_upper(cp_at(p, b)) || (q > p && q < b && *q == '.'))
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
			if (has_prefix(p, b, words[i]))
				wn = strlen(words[i]);
		}
		if (!wn || (p > name && uc_is_alpha(cp_at(back(p, name), b))))
			continue;
		const char *q = p + wn;
		while (*q == ' ')
			q++;
		if (has_prefix(q, b, "số ") || has_prefix(q, b, "Số "))
			q += strlen("số ");
		while (*q == ' ')
			q++;
		if (bare && q >= bare && q <= bare_end)
			continue;
		const char *t = q;
		int digit = 0;
		while (*t && !strchr(" ,;()\t\n", *t)) {
			digit |= is_digit((unsigned char)*t);
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
	trim(&a, &b);
	while (a < b && strchr("-+*.", *a)) {
		a++;
		trim(&a, &b);
	}
	if (has_prefix(a, b, "•")) {
		a += strlen("•");
		trim(&a, &b);
	}
	while (b > a && (b[-1] == ';' || b[-1] == ',')) {
		b--;
		trim(&a, &b);
	}
	return dup_squeeze(a, b);
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
		c->name = dup_squeeze(a, b);
		c->form = dup_trim(a, b);
	} else {
		c->name = clean_name(a, f);
		while (f < b && (*f == '.' || *f == ' '))
			f++;
		c->form = dup_trim(f, b);
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
		if (!is_digit((unsigned char)*p) && *p != 'B')
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
	char *h = dup_squeeze(a, b);
	if (strspn(h, "-") == strlen(h))
		h[0] = 0;
	return h;
}

int catp_components_parse(const char *s, catp_components *out)
{
	const char *a = s, *b = s + strlen(s);
	size_t cap = 0;
	memset(out, 0, sizeof *out);
	trim(&a, &b);
	const char *t = find(a, b, CATP_TABLE);
	if (!t) {
		out->leftover = dup_trim(a, b);
		if (out->leftover[0])
			out->unparsed++;
		return 0;
	}
	char *group = heading(a, t);
	const char *p = t + strlen(CATP_TABLE);
	for (;;) {
		const char *next = find(p, b, CATP_TABLE), *end = next ? next : b;
		const char *tail = parse_rows(p, end, group, out, &cap);
		free(group);
		if (!next) {
			out->leftover = dup_trim(tail, end);
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

/* ---- results ---- */

/* End of a result code at p: "KQ.G01.00263", "000.00.00.G11-KQ3554". The
 * next result's name follows without a space, so a letter right after a
 * digit, or any non-ASCII character, ends the code. */
static const char *code_end(const char *p, const char *b)
{
	const char *q = p;
	while (q < b) {
		unsigned char c = (unsigned char)*q;
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) ||
			 c == '.' || c == '-' || c == '_' || c == '/';
		if (!ok)
			break;
		if (q > p && is_digit((unsigned char)q[-1]) && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
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
	k = find(a, b, "Từ khóa");
	if (k)
		b = k;
	trim(&a, &b);
	const char *p = a;
	while (p < b) {
		const char *m = find(p, b, "Mã:");
		if (!m) {
			if (!is_blank(p, b))
				add_result(out, &cap, dup_squeeze(p, b), mc_xstrdup(""));
			break;
		}
		const char *c = m + strlen("Mã:");
		while (c < b && *c == ' ')
			c++;
		const char *e = code_end(c, b);
		add_result(out, &cap, dup_squeeze(p, m), mc_xstrndup(c, (size_t)(e - c)));
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
