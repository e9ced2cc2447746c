/*
 * catp.c - fuzz target for the parsers of the national portal's flattened
 * tables: catp_channels_parse, catp_components_parse, catp_results_parse,
 * catp_fee_amount, catp_component_kind
 * (and catp_channel_parse), all run on the same text.
 *
 * Checked against catp.h: the counts add up and match the return value,
 * every string is allocated, enumerations stay in range, a time is usable
 * exactly when its status says so, and text cut from valid UTF-8 stays valid
 * UTF-8 (src/app/catalog.c turns invalid text into "" without a word).
 */
#include "core/catp.h"
#include "core/dl.h"
#include "core/txt.h"
#include "fuzz.h"

#include <math.h>

/* An output string: allocated, and valid UTF-8 when the input was. */
static void check_str(const char *s, int utf8)
{
	FZ_CHECK(s != NULL);
	FZ_CHECK(!utf8 || txt_utf8_valid(s, strlen(s)));
}

static void fuzz_channels(const char *s, int utf8)
{
	catp_channels c;
	int ok = catp_channels_parse(s, &c);
	size_t bad = 0;
	FZ_CHECK(ok == (c.n > 0 && c.unparsed == 0));
	FZ_CHECK(c.parsed <= c.n);
	for (size_t i = 0; i < c.n; i++) {
		const catp_channel *ch = &c.v[i];
		FZ_CHECK(ch->channel >= CATP_DIRECT && ch->channel <= CATP_POSTAL);
		FZ_CHECK(catp_channel_parse(catp_channel_name(ch->channel)) == ch->channel);
		FZ_CHECK(ch->time_status >= CATP_TIME_OK && ch->time_status <= CATP_TIME_BAD);
		FZ_CHECK(ch->has_time == (ch->time_status == CATP_TIME_OK));
		if (ch->has_time)
			FZ_CHECK(ch->unit >= DL_WORKING_DAYS && ch->unit <= DL_SAME_DAY);
		else
			FZ_CHECK(ch->unit == -1 && !ch->inferred);
		if (ch->time_status == CATP_TIME_OK || ch->time_status == CATP_TIME_NOUNIT)
			FZ_CHECK(isfinite(ch->amount) && ch->amount >= 0);
		bad += ch->time_status != CATP_TIME_OK && ch->time_status != CATP_TIME_NONE;
		check_str(ch->time_text, utf8);
		check_str(ch->fee, utf8);
		check_str(ch->fee_note, utf8);
		check_str(ch->description, utf8);
	}
	FZ_CHECK(c.n - c.parsed == bad);
	/* plus 1 if text outside any entry was dropped */
	FZ_CHECK(c.unparsed == bad || c.unparsed == bad + 1);
	catp_channels_release(&c);
	FZ_CHECK(c.v == NULL && c.n == 0);
}

static void fuzz_components(const char *s, int utf8)
{
	catp_components c;
	int ok = catp_components_parse(s, &c);
	size_t named = 0;
	FZ_CHECK(ok == (c.n > 0 && c.unparsed == 0));
	check_str(c.leftover, utf8);
	for (size_t i = 0; i < c.n; i++) {
		const catp_component *k = &c.v[i];
		check_str(k->group, utf8);
		check_str(k->name, utf8);
		check_str(k->form, utf8);
		check_str(k->form_code, utf8);
		check_str(k->quantity, utf8);
		/* a row exists because its quantity cell was found */
		FZ_CHECK(k->quantity[0] != '\0');
		FZ_CHECK(k->originals >= 0 && k->copies >= 0);
		size_t n = strlen(k->name);
		FZ_CHECK(n == 0 || (k->name[0] != ' ' && k->name[n - 1] != ' '));
		named += k->name[0] != '\0';
	}
	FZ_CHECK(c.parsed == named);
	/* rows without a name, plus 1 if trailing text was dropped */
	FZ_CHECK(c.unparsed == c.n - named + (c.leftover[0] != '\0'));
	catp_components_release(&c);
	FZ_CHECK(c.v == NULL && c.n == 0 && c.leftover == NULL);
}

static void fuzz_results(const char *s, int utf8)
{
	catp_results r;
	int ok = catp_results_parse(s, &r);
	size_t full = 0;
	FZ_CHECK(ok == (r.n > 0 && r.unparsed == 0));
	for (size_t i = 0; i < r.n; i++) {
		check_str(r.v[i].name, utf8);
		check_str(r.v[i].code, utf8);
		const char *code = r.v[i].code;
		FZ_CHECK(strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789._-/") == strlen(code));
		full += r.v[i].name[0] && code[0];
	}
	FZ_CHECK(r.parsed == full && r.parsed + r.unparsed == r.n);
	catp_results_release(&r);
	FZ_CHECK(r.v == NULL && r.n == 0);
}

/* The fee amount and a component's kind take any text (issue 10). */
static void fuzz_fee(const char *s)
{
	int64_t v = -7;
	int ok = catp_fee_amount(s, s, &v);
	FZ_CHECK(ok ? v >= 0 : v == -7);
	int k = catp_component_kind(s);
	FZ_CHECK((k & ~(CATP_COMP_CONDITIONAL | CATP_COMP_ONLINE_ONLY | CATP_COMP_POSTAL_ONLY)) == 0);
	FZ_CHECK(!((k & CATP_COMP_ONLINE_ONLY) && (k & CATP_COMP_POSTAL_ONLY)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size);
	int utf8 = txt_utf8_valid(s, strlen(s));
	int chan = catp_channel_parse(s);
	FZ_CHECK(chan == -1 || strcmp(catp_channel_name(chan), s) == 0);
	fuzz_channels(s, utf8);
	fuzz_components(s, utf8);
	fuzz_results(s, utf8);
	fuzz_fee(s);
	free(s);
	return 0;
}
