/*
 * chart.c - fuzz target for doc_chart_svg: a chart spec as JSON text, or,
 * for an input that is not a JSON object, a fixed bars spec whose title is
 * the input's bytes as they are (bad UTF-8, NULs and control characters
 * included: jansson's _nocheck constructor lets them through).
 *
 * Checked against chart.h: a refusal is MC_EINVAL (invalid) with both
 * messages and no output; a chart is one well-formed XML element (checked
 * here by a small tag-and-entity walker: tags balanced, attribute values
 * quoted, every & an entity, no raw < or > in text), valid UTF-8 without
 * the control characters XML forbids, starting <svg xmlns=, with nothing a
 * strict CSP blocks (style, script, foreignObject, href, on...=); the same
 * spec gives the same bytes; a title of raw bytes is accepted exactly when
 * it is valid UTF-8 without NUL, control characters or U+FFFE/FFFF and at
 * most 400 bytes, and then comes back escaped in <title>.
 */
#include "doc/chart.h"
#include "core/txt.h"
#include "fuzz.h"

#include <ctype.h>

/* Length of the XML name at s (letters, digits, - _ : .). */
static size_t name_len(const char *s)
{
	size_t n = 0;
	while (s[n] && (isalnum((unsigned char)s[n]) || strchr("-_:.", s[n])))
		n++;
	return n;
}

/* Checks that s[0..n) has every & as one of XML's five entities and no
 * raw < (and, in text, no >). */
static void check_chars(const char *s, size_t n, int text)
{
	static const char *const ent[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
	for (size_t i = 0; i < n; i++) {
		FZ_CHECK(s[i] != '<');
		FZ_CHECK(!text || s[i] != '>');
		if (s[i] != '&')
			continue;
		int ok = 0;
		for (size_t k = 0; k < MC_ARRAY_LEN(ent); k++)
			ok |= strncmp(s + i, ent[k], strlen(ent[k])) == 0;
		FZ_CHECK(ok);
	}
}

/* The SVG is one well-formed element: a walk over its tags with a stack. */
static void check_xml(const char *svg)
{
	const char *stack[64];
	size_t depth = 0, roots = 0;
	const char *p = svg;
	while (*p) {
		const char *lt = strchr(p, '<');
		size_t textlen = lt ? (size_t)(lt - p) : strlen(p);
		check_chars(p, textlen, 1);
		if (depth == 0)
			for (size_t i = 0; i < textlen; i++)
				FZ_CHECK(p[i] == '\n'); /* nothing outside the root */
		if (!lt)
			break;
		p = lt + 1;
		if (*p == '/') {
			size_t n = name_len(p + 1);
			FZ_CHECK(n > 0 && depth > 0);
			FZ_CHECK(strncmp(stack[depth - 1], p + 1, n) == 0 &&
				 name_len(stack[depth - 1]) == n);
			depth--;
			FZ_CHECK(p[1 + n] == '>');
			p += n + 2;
			continue;
		}
		size_t n = name_len(p);
		FZ_CHECK(n > 0);
		const char *name = p;
		p += n;
		for (;;) {
			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			size_t an = name_len(p);
			FZ_CHECK(an > 0);
			FZ_CHECK(!(an >= 2 && strncmp(p, "on", 2) == 0)); /* no handlers */
			FZ_CHECK(!(an == 5 && strncmp(p, "style", 5) == 0));
			FZ_CHECK(!(an >= 4 && strncmp(p + an - 4, "href", 4) == 0));
			p += an;
			FZ_CHECK(p[0] == '=' && p[1] == '"');
			const char *end = strchr(p + 2, '"');
			FZ_CHECK(end != NULL);
			check_chars(p + 2, (size_t)(end - p - 2), 0);
			p = end + 1;
		}
		if (depth == 0)
			roots++;
		if (*p == '>') {
			FZ_CHECK(depth < MC_ARRAY_LEN(stack));
			stack[depth++] = name;
			p++;
		} else {
			p += 2;
		}
		FZ_CHECK(strncmp(name, "script", 6) && strncmp(name, "style", 5) &&
			 strncmp(name, "foreignObject", 13));
	}
	FZ_CHECK(depth == 0 && roots == 1);
}

/* A title of raw bytes is accepted exactly when this holds. */
static int title_ok(const uint8_t *d, size_t n)
{
	if (n > 400 || memchr(d, 0, n) || !txt_utf8_valid((const char *)d, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
			return 0;
		if (d[i] == 0xEF && i + 2 < n && d[i + 1] == 0xBF && (d[i + 2] & 0xFE) == 0xBE)
			return 0;
	}
	return 1;
}

/* Renders spec and checks the answer; returns 0 if refused. */
static int run(const json_t *spec)
{
	char *svg = (char *)"x", *again = NULL;
	size_t len = 7, len2 = 0;
	mc_err e = { 0 };
	int rc = doc_chart_svg(spec, &svg, &len, &e);
	if (rc) {
		FZ_CHECK(rc == MC_EINVAL && e.id == MCE_INVALID);
		FZ_CHECK(e.msg[0] && e.vi[0]);
		FZ_CHECK(svg == NULL && len == 0);
		return 0;
	}
	FZ_CHECK(svg != NULL && len == strlen(svg));
	FZ_CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 52) == 0);
	FZ_CHECK(len >= 7 && strcmp(svg + len - 7, "</svg>\n") == 0);
	FZ_CHECK(txt_utf8_valid(svg, len));
	for (size_t i = 0; i < len; i++)
		FZ_CHECK((unsigned char)svg[i] >= 0x20 || svg[i] == '\n' || svg[i] == '\t' ||
			 svg[i] == '\r');
	FZ_CHECK(!strstr(svg, "<script")); /* "style=" may be text: the walker checks attributes */
	check_xml(svg);
	FZ_CHECK(doc_chart_svg(spec, &again, &len2, &e) == 0);
	FZ_CHECK(len2 == len && memcmp(svg, again, len) == 0);
	free(again);
	free(svg);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *spec = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	if (json_is_object(spec)) {
		MC_IGNORE(run(spec));
		json_decref(spec);
		return 0;
	}
	json_decref(spec);
	spec = json_pack("{s:s, s:[s, s], s:[{s:s, s:[i, n]}]}", "kind", "bars", "categories",
			 "a", "b", "series", "name", "s", "values", 3);
	FZ_CHECK(spec != NULL);
	FZ_CHECK(json_object_set_new(spec, "title",
				     json_stringn_nocheck((const char *)data, size)) == 0);
	FZ_CHECK(run(spec) == title_ok(data, size));
	json_decref(spec);
	return 0;
}
