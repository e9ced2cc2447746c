/*
 * catp_channels.c - the "cách thức thực hiện" (submission channels) parser
 * (see catp.h for the contract).
 */
#include "catp_int.h"

#include "dl.h"
#include "txt.h"

#include <unictype.h>

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
		if (catp_has_prefix(p, b, currencies[i]))
			return strlen(currencies[i]);
	}
	return 0;
}

/* Length of an amount with its currency at p ("25,000 Việt Nam Đồng"), 0 if
 * none. */
static size_t money_at(const char *p, const char *b)
{
	size_t n = catp_num_run(p, b), c;
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
	if (catp_has_prefix(p, b, "Miễn phí"))
		return strlen("Miễn phí");
	if (catp_has_prefix(p, b, "Không có thông tin"))
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
	size_t n = catp_num_run(a, b);
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
			if (catp_has_prefix(q, b, units[i].text)) {
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
		if (catp_has_prefix(a, b, time_words[i].text)) {
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
		size_t k = catp_num_run(q, b);
		q += k ? k : 1;
	}
	ch->time_status = CATP_TIME_BAD;
	ch->time_text = catp_dup_trim(a, q);
	return q;
}

/* Digits of the first amount in a fee note ("20.000 vnđ/tờ khai" -> "20000")
 * into out (size bytes); "" if none. */
static void note_amount(const char *note, char *out, size_t size)
{
	size_t o = 0;
	const char *p = note;
	while (*p && !catp_is_digit((unsigned char)*p))
		p++;
	while (*p && (catp_is_digit((unsigned char)*p) || *p == '.' || *p == ',') && o + 1 < size) {
		if (catp_is_digit((unsigned char)*p))
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
	for (const char *p = f;
	     *p && (catp_is_digit((unsigned char)*p) || *p == ',' || *p == '.'); p++) {
		if (catp_is_digit((unsigned char)*p) && nd + 1 < sizeof digits)
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
			if (!catp_is_digit((unsigned char)f[i]))
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
		if (!catp_is_digit((unsigned char)*p) ||
		    (p > f && (catp_is_digit((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ',')))
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
		note = catp_dup_trim(p + 1, q);
		q++;
		/* "((note))" and "(note))" both occur */
		while (q < b && *q == ')')
			q++;
	} else {
		note = catp_dup_trim(p + 1, b);
	}
	*pp = q;
	size_t n = strlen(note);
	if (n >= 2 && note[0] == '(' && note[n - 1] == ')' && !memchr(note + 1, '(', n - 2)) {
		char *inner = catp_dup_trim(note + 1, note + n - 1);
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
	ch->description = catp_dup_trim(p, b);
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
		if (catp_has_prefix(p, b, chan_labels[c])) {
			ucs4_t next = catp_cp_at(p + n, b);
			if (catp_is_digit(next) || uc_is_upper(next)) {
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
	catp_trim(&a, &b);
	if (catp_has_prefix(a, b, CATP_COLUMNS))
		a += strlen(CATP_COLUMNS);
	for (const char *p = a; p < b; p++) {
		/* every title starts with an ASCII 'T' or 'D' */
		if ((*p != 'T' && *p != 'D') || !header_at(p, b, &chan, &len))
			continue;
		if (cur)
			add_channel(out, &cap, cur_chan, cur, p);
		else if (!catp_is_blank(a, p))
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
