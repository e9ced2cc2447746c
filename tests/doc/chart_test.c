/*
 * chart_test.c - the supervision charts as SVG: the refusals of a bad spec
 * (table), then for each kind a chart read back: well-formed XML (xmllint,
 * or Python's minidom where xmllint is missing), one bar per value drawn
 * and none for null, bar lengths in proportion to the values, the axis
 * top (nice or fixed), the legend, escaped text that parses back to what
 * went in, ids unique on one page, labels thinned when they crowd, the
 * empty chart's notice, and nothing a strict CSP would block.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/chart.h"
#include "sb.h"
#include "t.h"

/* ---- helpers ---- */

/* With CHART_TEST_DUMP=dir set, every chart made is also written there
 * (chart-N.svg) to be looked at. */
static void dump(const char *svg)
{
	static int n;
	const char *dir = getenv("CHART_TEST_DUMP");
	if (!dir || !svg)
		return;
	char name[512];
	snprintf(name, sizeof name, "%s/chart-%02d.svg", dir, n++);
	FILE *f = fopen(name, "w");
	if (f) {
		fputs(svg, f);
		fclose(f);
	}
}

/* The SVG of the spec in JSON text js (caller frees); NULL (a failed
 * check) if it is refused. */
static char *render(const char *js)
{
	json_error_t je;
	json_t *spec = json_loads(js, 0, &je);
	if (!spec) {
		fprintf(stderr, "bad test JSON: %s: %s\n", je.text, js);
		CHECK(spec != NULL);
		return NULL;
	}
	char *svg = NULL;
	size_t len = 0;
	mc_err e = { 0 };
	int rc = doc_chart_svg(spec, &svg, &len, &e);
	json_decref(spec);
	CHECK_INT(rc, 0);
	if (rc) {
		fprintf(stderr, "  refused: %s\n", e.msg);
		return NULL;
	}
	CHECK_INT(len, strlen(svg));
	return svg;
}

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Writes s to a temporary file; returns its name (caller frees and
 * unlinks). */
static char *tmp_file(const char *s)
{
	char *name = mc_xstrdup("/tmp/chart_test.XXXXXX");
	int fd = mkstemp(name);
	CHECK(fd >= 0);
	size_t n = strlen(s);
	CHECK(fd >= 0 && write(fd, s, n) == (ssize_t)n);
	close(fd);
	return name;
}

/* 1 if svg is well-formed XML, by a real parser. */
static int well_formed(const char *svg)
{
	dump(svg);
	char *f = tmp_file(svg), cmd[256];
	if (access("/usr/bin/xmllint", X_OK) == 0)
		snprintf(cmd, sizeof cmd, "/usr/bin/xmllint --noout %s", f);
	else
		snprintf(cmd, sizeof cmd,
			 "/usr/bin/python3 -c 'import sys,xml.dom.minidom; "
			 "xml.dom.minidom.parse(sys.argv[1])' %s",
			 f);
	int rc = system(cmd);
	unlink(f);
	free(f);
	return rc == 0;
}

/* The text content of the svg's <title> as an XML parser reads it
 * (python's minidom: in the stdlib, unlike xmllint --xpath's quoting). */
static char *parsed_title(const char *svg)
{
	char *f = tmp_file(svg), cmd[512];
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c 'import sys,xml.dom.minidom as m; "
		 "d=m.parse(sys.argv[1]); t=d.getElementsByTagName(\"title\")[0]; "
		 "sys.stdout.buffer.write(t.firstChild.data.encode())' %s",
		 f);
	FILE *p = popen(cmd, "r");
	char buf[1024] = "";
	size_t n = p ? fread(buf, 1, sizeof buf - 1, p) : 0;
	buf[n] = 0;
	if (p)
		pclose(p);
	unlink(f);
	free(f);
	return mc_xstrdup(buf);
}

/* Nothing a strict CSP blocks or a sanitizer strips. */
static void csp_clean(const char *svg)
{
	CHECK(!strstr(svg, "style="));
	CHECK(!strstr(svg, "<style"));
	CHECK(!strstr(svg, "<script"));
	CHECK(!strstr(svg, "foreignObject"));
	CHECK(!strstr(svg, "href"));
	CHECK(count(svg, "http") == 1);
	/* No event handler attribute (onload=, onclick=). */
	for (const char *p = svg; (p = strstr(p, " on")); p++) {
		size_t l = strspn(p + 3, "abcdefghijklmnopqrstuvwxyz");
		CHECK(p[3 + l] != '=');
	}
	CHECK(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 52) == 0);
	CHECK(strstr(svg, "role=\"img\"") != NULL);
}

/* Every id="" in svg, unique; each url(#x) and aria-labelledby name
 * defined. Adds the ids to seen (a space-separated list) and fails on one
 * already there (another chart on the same page). */
static void ids_ok(const char *svg, sb *seen)
{
	int n = 0;
	for (const char *p = svg; (p = strstr(p, " id=\"")); n++) {
		p += 5;
		size_t l = strcspn(p, "\"");
		char id[64] = "", key[80];
		CHECK(l > 0 && l < sizeof id);
		memcpy(id, p, l < sizeof id ? l : sizeof id - 1);
		snprintf(key, sizeof key, " %s ", id);
		CHECK(!strstr(sb_str(seen), key));
		sb_addf(seen, "%s ", id);
	}
	CHECK(n >= 2);
	for (const char *p = svg; (p = strstr(p, "url(#")); p++) {
		char key[80];
		size_t l = strcspn(p + 5, ")");
		snprintf(key, sizeof key, " id=\"%.*s\"", (int)l, p + 5);
		CHECK(strstr(svg, key) != NULL);
	}
	const char *a = strstr(svg, "aria-labelledby=\"");
	CHECK(a != NULL);
	char t[64], d[64], key[80];
	CHECK(a && sscanf(a, "aria-labelledby=\"%63s %63[^\"]", t, d) == 2);
	snprintf(key, sizeof key, "<title id=\"%s\">", t);
	CHECK(strstr(svg, key) != NULL);
	snprintf(key, sizeof key, "<desc id=\"%s\">", d);
	CHECK(strstr(svg, key) != NULL);
}

typedef struct {
	int series, category;
	double x, y, w, h;
} bar;

/* The bars (<rect class="mc-bar">) of svg, in order. OUT: up to max in
 * out; returns how many there are. */
static int bars(const char *svg, bar *out, int max)
{
	int n = 0;
	for (const char *p = svg; (p = strstr(p, "<rect class=\"mc-bar\"")); p++, n++) {
		bar b;
		int got = sscanf(p,
				 "<rect class=\"mc-bar\" data-series=\"%d\" data-category=\"%d\" "
				 "x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"",
				 &b.series, &b.category, &b.x, &b.y, &b.w, &b.h);
		CHECK_INT(got, 6);
		if (n < max)
			out[n] = b;
	}
	return n;
}

/* The plot area from the axis path "M x0,y0 V y1 H x1". */
static void axes(const char *svg, double *x0, double *y0, double *y1, double *x1)
{
	const char *p = strstr(svg, "<g class=\"mc-grid\">");
	p = p ? strstr(p, "<path d=\"M") : NULL;
	*x0 = *y0 = *y1 = *x1 = 0;
	CHECK(p && sscanf(p, "<path d=\"M%lf,%lfV%lfH%lf", x0, y0, y1, x1) == 4);
}

/* The text between <g class="cls"> and its </g> (caller frees). */
static char *group(const char *svg, const char *cls)
{
	char key[64];
	snprintf(key, sizeof key, "<g class=\"%s\">", cls);
	const char *p = strstr(svg, key), *q = p ? strstr(p, "</g>") : NULL;
	CHECK(q != NULL);
	return q ? mc_xstrndup(p, (size_t)(q - p)) : mc_xstrdup("");
}

/* ---- refusals ---- */

static void refusals(void)
{
	static const struct {
		const char *spec, *field; /* field: in the English message */
	} cases[] = {
		{ "[]", "not a JSON object" },
		{ "{\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\",\"values\":[1]}]}",
		  "kind" },
		{ "{\"kind\":\"pie\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}]}",
		  "kind" },
		{ "{\"kind\":3,\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}]}",
		  "kind" },
		{ "{\"kind\":\"bars\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\",\"values\":[1]}]}",
		  "title is missing" },
		{ "{\"kind\":\"bars\",\"title\":7,\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}]}",
		  "title is not a string" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":\"a\",\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}]}",
		  "categories must" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[],\"series\":[{\"name\":\"s\","
		  "\"values\":[]}]}",
		  "categories must" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\",2],\"series\":[{\"name\":\"s\","
		  "\"values\":[1,2]}]}",
		  "categories[1] is not a string" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[]}",
		  "series must" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":{}}",
		  "series must" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"1\","
		  "\"values\":[1]},{\"name\":\"2\",\"values\":[1]},{\"name\":\"3\",\"values\":[1]},"
		  "{\"name\":\"4\",\"values\":[1]},{\"name\":\"5\",\"values\":[1]},{\"name\":\"6\","
		  "\"values\":[1]},{\"name\":\"7\",\"values\":[1]},{\"name\":\"8\",\"values\":[1]},"
		  "{\"name\":\"9\",\"values\":[1]}]}",
		  "series must" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[7]}",
		  "series[0] is not an object" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"values\":[1]}]}",
		  "series[0].name is missing" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1],\"colour\":\"red\"}]}",
		  "series[0] has an unknown field 'colour'" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\",\"b\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1,2]},{\"name\":\"r\",\"values\":[1]}]}",
		  "series[1].values must be an array of 2" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\",\"b\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1,\"2\"]}]}",
		  "series[0].values[1] is not a number" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\",\"b\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1,true]}]}",
		  "series[0].values[1] is not a number" },
		{ "{\"kind\":\"lines\",\"title\":\"t\",\"categories\":[\"a\",\"b\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1,-0.5]}]}",
		  "series[0].values[1] is negative" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1e16]}]}",
		  "series[0].values[0] is negative, above 10^15" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"max\":[2]}",
		  "max is for kind hbars only" },
		{ "{\"kind\":\"hbars\",\"title\":\"t\",\"categories\":[\"a\",\"b\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1,2]}],\"max\":[2]}",
		  "max must be an array of 2" },
		{ "{\"kind\":\"hbars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"max\":[\"20\"]}",
		  "max[0] is not a number" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"y_max\":0}",
		  "y_max" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"y_max\":\"100\"}",
		  "y_max" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"width\":10}",
		  "width must be" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"height\":99999}",
		  "height must be" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\","
		  "\"values\":[1]}],\"ymax\":100}",
		  "unknown field 'ymax'" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],\"series\":[{\"name\":\"s\\u0001\","
		  "\"values\":[1]}]}",
		  "series[0].name is not valid UTF-8 or holds a control character" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\\uffff\"],\"series\":[{\"name\":"
		  "\"s\",\"values\":[1]}]}",
		  "categories[0] is not valid UTF-8" },
		{ "{\"kind\":\"bars\",\"title\":\"t\",\"unit\":\"percentage points\",\"categories\":[\"a\"],"
		  "\"series\":[{\"name\":\"s\",\"values\":[1]}]}",
		  "unit is longer than 16 bytes" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].field);
		json_t *spec = json_loads(cases[i].spec, JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);
		CHECK(spec != NULL);
		char *svg = (char *)"untouched";
		size_t len = 99;
		mc_err e = { 0 };
		int rc = doc_chart_svg(spec, &svg, &len, &e);
		CHECK_INT(rc, MC_EINVAL);
		CHECK_INT(e.id, MCE_INVALID);
		CHECK(svg == NULL && len == 0);
		CHECK(strstr(e.msg, cases[i].field) != NULL);
		CHECK(e.vi[0] != 0 && strcmp(e.vi, e.msg) != 0);
		if (!strstr(e.msg, cases[i].field))
			fprintf(stderr, "  got: %s\n", e.msg);
		json_decref(spec);
	}

	/* What JSON text cannot carry: bad UTF-8, a NUL, 61 categories. */
	T_CASE("bad utf-8, NUL, too many categories");
	const char *bad[] = { "\xC3\x28", "ab\xE0\x80\xAF", "\xED\xA0\x80" };
	for (size_t i = 0; i < MC_ARRAY_LEN(bad) + 2; i++) {
		json_t *spec = json_loads("{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],"
					  "\"series\":[{\"name\":\"s\",\"values\":[1]}]}",
					  0, NULL);
		if (i < MC_ARRAY_LEN(bad))
			json_object_set_new(spec, "title", json_string_nocheck(bad[i]));
		else if (i == MC_ARRAY_LEN(bad))
			json_object_set_new(spec, "title", json_stringn("a\0b", 3));
		else
			for (int k = 0; k < DOC_CHART_MAX_CATEGORIES; k++)
				json_array_append_new(json_object_get(spec, "categories"),
						      json_string("x"));
		char *svg = NULL;
		size_t len = 0;
		mc_err e = { 0 };
		CHECK_INT(doc_chart_svg(spec, &svg, &len, &e), MC_EINVAL);
		CHECK(strstr(e.msg, i <= MC_ARRAY_LEN(bad) ? "title" : "categories") != NULL);
		CHECK(svg == NULL);
		json_decref(spec);
	}
}

/* ---- each kind ---- */

/* Checks every bar's length is value × scale (within rounding) and that
 * bars start on the axis. vertical: columns (heights), else hbars
 * (widths). vals[series][category], NAN for null. */
static void proportional(const bar *b, int n, const double vals[][8], int vertical,
			 double scale_px, double base)
{
	for (int k = 0; k < n; k++) {
		double v = vals[b[k].series][b[k].category];
		CHECK(!isnan(v));
		double len = vertical ? b[k].h : b[k].w;
		CHECK(fabs(len - v * scale_px) <= 0.5);
		if (!vertical)
			CHECK(fabs(b[k].x - base) <= 0.05);
	}
}

static void kind_bars(sb *seen)
{
	T_CASE("bars");
	char *svg = render("{\"kind\":\"bars\",\"title\":\"Tiếp nhận và giải quyết\","
			   "\"categories\":[\"T1/2026\",\"T2/2026\",\"T3/2026\"],"
			   "\"series\":[{\"name\":\"Tiếp nhận\",\"values\":[10,20,null]},"
			   "{\"name\":\"Đã giải quyết\",\"values\":[5,0,37]}]}");
	if (!svg)
		return;
	CHECK(well_formed(svg));
	csp_clean(svg);
	ids_ok(svg, seen);
	const double v[2][8] = { { 10, 20, NAN }, { 5, 0, 37 } };
	bar b[16];
	int n = bars(svg, b, 16);
	CHECK_INT(n, 5); /* every non-null value; 0 is a bar of no height */
	double x0, y0, y1, x1;
	axes(svg, &x0, &y0, &y1, &x1);
	/* Largest 37: the nice top is 50 (ticks 0, 10, ... 50). */
	CHECK(strstr(svg, ">50</text>") != NULL);
	CHECK(!strstr(svg, ">60</text>"));
	proportional(b, n < 16 ? n : 16, v, 1, (y1 - y0) / 50, 0);
	for (int k = 0; k < n && k < 16; k++) {
		CHECK(fabs(b[k].y + b[k].h - y1) <= 0.1); /* standing on the axis */
		CHECK(!(b[k].series == 0 && b[k].category == 2)); /* null: no bar */
	}
	/* Grouped side by side: the two bars of T1 do not overlap. */
	CHECK(n >= 2 && b[0].x + b[0].w <= b[1].x + 0.05);
	char *leg = group(svg, "mc-legend");
	CHECK(strstr(leg, ">Tiếp nhận</text>") != NULL);
	CHECK(strstr(leg, ">Đã giải quyết</text>") != NULL);
	free(leg);
	/* Series 1 hatched (a pattern), series 0 solid: greys tell them apart. */
	CHECK(strstr(svg, "<pattern id=\"") != NULL);
	CHECK(count(svg, "fill=\"url(#") == 1 + 3); /* the legend key and 3 bars */
	CHECK(!strstr(svg, "Không có dữ liệu</text>"));
	/* The data as text for screen readers, null said as such. */
	CHECK(strstr(svg, "T3/2026: Tiếp nhận không có số liệu, Đã giải quyết 37;") != NULL);
	free(svg);
}

static void kind_stacked(sb *seen)
{
	T_CASE("stacked");
	char *svg = render("{\"kind\":\"stacked\",\"title\":\"Tỷ lệ giải quyết đúng hạn theo tháng\","
			   "\"desc\":\"Số hồ sơ trước hạn, đúng hạn và quá hạn\","
			   "\"categories\":[\"T1/2026\",\"T2/2026\",\"T3/2026\"],"
			   "\"series\":[{\"name\":\"Trước hạn\",\"values\":[3,0,null]},"
			   "{\"name\":\"Đúng hạn\",\"values\":[4,5,6]},"
			   "{\"name\":\"Quá hạn\",\"values\":[null,2,0]}]}");
	if (!svg)
		return;
	CHECK(well_formed(svg));
	csp_clean(svg);
	ids_ok(svg, seen);
	const double v[3][8] = { { 3, 0, NAN }, { 4, 5, 6 }, { NAN, 2, 0 } };
	bar b[16];
	int n = bars(svg, b, 16);
	CHECK_INT(n, 5); /* 3, 4, 5, 6, 2: the non-zero segments */
	double x0, y0, y1, x1;
	axes(svg, &x0, &y0, &y1, &x1);
	/* Largest total 7 (T1, T2): counts, so the top is 10. */
	CHECK(strstr(svg, ">10</text>") != NULL);
	proportional(b, n < 16 ? n : 16, v, 1, (y1 - y0) / 10, 0);
	/* Each segment sits on the one below it, the first on the axis. */
	for (int k = 0; k < n && k < 16; k++) {
		double below = y1;
		for (int q = 0; q < k; q++)
			if (b[q].category == b[k].category)
				below = b[q].y;
		CHECK(fabs(b[k].y + b[k].h - below) <= 0.1);
	}
	/* The column total over a column of several parts. */
	CHECK(strstr(svg, "font-weight=\"bold\" fill=\"#000\" stroke=\"#fff\" stroke-width=\"3\" "
			  "stroke-linejoin=\"round\" paint-order=\"stroke\">7</text>") != NULL);
	/* Not over T3, whose only part is 6. */
	CHECK_INT(count(svg, "font-weight=\"bold\" fill=\"#000\" stroke="), 2);
	CHECK(strstr(svg, "Số hồ sơ trước hạn, đúng hạn và quá hạn</desc>") != NULL);
	char *leg = group(svg, "mc-legend");
	CHECK_INT(count(leg, "<rect class=\"mc-key\""), 3);
	CHECK(strstr(leg, ">Trước hạn</text>") && strstr(leg, ">Đúng hạn</text>") &&
	      strstr(leg, ">Quá hạn</text>"));
	free(leg);
	free(svg);
}

static void kind_lines(sb *seen)
{
	T_CASE("lines");
	char *svg = render("{\"kind\":\"lines\",\"title\":\"Tỷ lệ đúng hạn\",\"unit\":\"%\","
			   "\"y_max\":100,"
			   "\"categories\":[\"T1\",\"T2\",\"T3\",\"T4\",\"T5\"],"
			   "\"series\":[{\"name\":\"Xã\",\"values\":[97.5,100,null,50,80]},"
			   "{\"name\":\"Tỉnh\",\"values\":[90,91,92,93,94]}]}");
	if (!svg)
		return;
	CHECK(well_formed(svg));
	csp_clean(svg);
	ids_ok(svg, seen);
	/* A null breaks the line: two polylines for Xã, one for Tỉnh. */
	CHECK_INT(count(svg, "<polyline class=\"mc-line\""), 3);
	CHECK_INT(count(svg, "class=\"mc-mark\""), 4 + 5 + 2); /* points, legend keys */
	/* Two shapes: a circle and a path, and a dash on the second. */
	CHECK(strstr(svg, "<circle class=\"mc-mark\"") && strstr(svg, "<path class=\"mc-mark\""));
	CHECK(strstr(svg, "stroke-dasharray=") != NULL);
	/* y_max 100 honoured: the top tick, the 100% point on the top line. */
	CHECK(strstr(svg, ">100%</text>") != NULL);
	CHECK(!strstr(svg, ">120%</text>"));
	double x0, y0, y1, x1, cx, cy;
	axes(svg, &x0, &y0, &y1, &x1);
	const char *p = strstr(svg, "<circle class=\"mc-mark\" cx=\"");
	p = p ? strstr(p + 1, "<circle class=\"mc-mark\" cx=\"") : NULL; /* after the legend */
	CHECK(p && sscanf(p, "<circle class=\"mc-mark\" cx=\"%lf\" cy=\"%lf\"", &cx, &cy) == 2);
	CHECK(p && fabs(cy - (y1 - 0.975 * (y1 - y0))) <= 0.1); /* 97.5 */
	p = p ? strstr(p + 1, "<circle class=\"mc-mark\" cx=\"") : NULL;
	CHECK(p && sscanf(p, "<circle class=\"mc-mark\" cx=\"%lf\" cy=\"%lf\"", &cx, &cy) == 2);
	CHECK(p && fabs(cy - y0) <= 0.1); /* 100 */
	/* Vietnamese numbers: a decimal comma. */
	CHECK(strstr(svg, ">97,5%</text>") != NULL);
	CHECK(!strstr(svg, "97.5%"));
	free(svg);
}

static void kind_hbars(sb *seen)
{
	T_CASE("hbars");
	char *svg = render("{\"kind\":\"hbars\",\"title\":\"Bộ chỉ số 766\","
			   "\"categories\":[\"Công khai, minh bạch\",\"Tiến độ giải quyết\","
			   "\"Dịch vụ công trực tuyến\",\"Mức độ hài lòng\"],"
			   "\"series\":[{\"name\":\"Điểm\",\"values\":[18,20.5,null,0]}],"
			   "\"max\":[20,22,14,18]}");
	if (!svg)
		return;
	CHECK(well_formed(svg));
	csp_clean(svg);
	ids_ok(svg, seen);
	const double v[1][8] = { { 18, 20.5, NAN, 0 } };
	bar b[8];
	int n = bars(svg, b, 8);
	CHECK_INT(n, 3);
	CHECK_INT(count(svg, "<rect class=\"mc-max\""), 4);
	double x0, y0, y1, x1;
	axes(svg, &x0, &y0, &y1, &x1);
	/* The largest maximum 22 sets the nice top: 25. */
	CHECK(strstr(svg, ">25</text>") != NULL);
	proportional(b, n < 8 ? n : 8, v, 0, (x1 - x0) / 25, x0);
	/* Bars are rows: the second below the first. */
	CHECK(n >= 2 && b[1].y > b[0].y + b[0].h);
	CHECK(strstr(svg, ">18/20</text>") && strstr(svg, ">20,5/22</text>") &&
	      strstr(svg, ">0/18</text>"));
	CHECK(!strstr(svg, "/14</text>")); /* null: no bar, no label */
	CHECK(strstr(svg, ">Công khai, minh bạch</text>") != NULL);
	free(svg);
}

/* ---- text, numbers, crowding, empty data ---- */

static void escaping(sb *seen)
{
	T_CASE("escaping");
	const char *raw = "Tỷ lệ <b>&amp; \"đúng\" hạn</b> 'Quý I' < 100% > ễ";
	json_t *spec = json_pack("{s:s, s:s, s:[s], s:[{s:s, s:[i]}]}", "kind", "bars", "title", raw,
				 "categories", "A&B <x>", "series", "name", "\"Đạt\" & <x>", "values",
				 3);
	char *svg = NULL;
	size_t len = 0;
	mc_err e = { 0 };
	CHECK_INT(doc_chart_svg(spec, &svg, &len, &e), 0);
	json_decref(spec);
	if (!svg)
		return;
	CHECK(well_formed(svg));
	csp_clean(svg);
	ids_ok(svg, seen);
	char *t = parsed_title(svg);
	CHECK_STR(t, raw);
	free(t);
	CHECK(strstr(svg, "Tỷ lệ &lt;b&gt;&amp;amp; &quot;đúng&quot; hạn&lt;/b&gt; &apos;Quý "
			  "I&apos; &lt; 100% &gt; ễ</title>") != NULL);
	CHECK(strstr(svg, ">A&amp;B &lt;x&gt;</text>") != NULL);
	CHECK(strstr(svg, ">&quot;Đạt&quot; &amp; &lt;x&gt;</text>") != NULL);
	CHECK(!strstr(svg, "<b>") && !strstr(svg, "<x>"));
	free(svg);

	/* A unit goes into ticks, value labels, tooltips and the made-up desc. */
	T_CASE("escaped unit");
	svg = render("{\"kind\":\"lines\",\"title\":\"u\",\"unit\":\"<&>\",\"categories\":[\"a\"],"
		     "\"series\":[{\"name\":\"s\",\"values\":[3]}]}");
	if (!svg)
		return;
	CHECK(well_formed(svg));
	CHECK(!strstr(svg, "<&>"));
	CHECK(strstr(svg, "s 3&lt;&amp;&gt;;</desc>") != NULL);
	CHECK(strstr(svg, ">3&lt;&amp;&gt;</text>") != NULL);
	free(svg);
}

static void numbers(void)
{
	static const struct {
		double v;
		const char *unit, *want;
	} cases[] = {
		{ 1000000, "", ">1.000.000</text>" },
		{ 1250000, "", ">1.250.000</text>" },
		{ 97.5, "%", ">97,5%</text>" },
		{ 0.125, "", ">0,125</text>" },
		{ 2.5, " hs", ">2,5 hs</text>" },
		{ 1234.5678, "", ">1.234,57</text>" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].want);
		json_t *spec = json_pack("{s:s, s:s, s:s, s:[s], s:[{s:s, s:[f]}]}", "kind", "bars",
					 "title", "n", "unit", cases[i].unit, "categories", "a",
					 "series", "name", "s", "values", cases[i].v);
		char *svg = NULL;
		size_t len = 0;
		mc_err e = { 0 };
		CHECK_INT(doc_chart_svg(spec, &svg, &len, &e), 0);
		json_decref(spec);
		CHECK(svg && strstr(svg, cases[i].want));
		CHECK(svg && well_formed(svg));
		if (svg && !strstr(svg, cases[i].want))
			fprintf(stderr, "%s\n", svg);
		/* The only bar fills the axis height: its nice top is >= value. */
		bar b[2];
		CHECK(svg && bars(svg, b, 2) == 1);
		free(svg);
	}
}

/* The fixed y_max against the nice top: the same value, another length. */
static void fixed_top(void)
{
	static const struct {
		const char *ymax;
		double frac; /* of the axis the value 100 takes */
		const char *tick, *no_tick;
	} cases[] = {
		{ "", 1.0, ">100%</text>", ">120%</text>" },
		{ ",\"y_max\":100", 1.0, ">100%</text>", ">120%</text>" },
		{ ",\"y_max\":200", 0.5, ">200%</text>", ">250%</text>" },
		{ ",\"y_max\":50", 1.0, ">50%</text>", ">60%</text>" }, /* over the top: clipped */
		{ ",\"y_max\":30", 1.0, ">30%</text>", ">35%</text>" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].tick);
		char js[512];
		snprintf(js, sizeof js,
			 "{\"kind\":\"bars\",\"title\":\"t\",\"unit\":\"%%\"%s,"
			 "\"categories\":[\"a\",\"b\"],"
			 "\"series\":[{\"name\":\"s\",\"values\":[100,40]}]}",
			 cases[i].ymax);
		char *svg = render(js);
		if (!svg)
			continue;
		double x0, y0, y1, x1;
		axes(svg, &x0, &y0, &y1, &x1);
		bar b[2];
		CHECK_INT(bars(svg, b, 2), 2);
		CHECK(fabs(b[0].h - cases[i].frac * (y1 - y0)) <= 0.5);
		CHECK(strstr(svg, cases[i].tick) != NULL);
		CHECK(!strstr(svg, cases[i].no_tick));
		CHECK(well_formed(svg));
		free(svg);
	}
}

/* Many categories: labels rotated and thinned, never more than fit. */
static void crowding(void)
{
	static const struct {
		int n, width;
		int rotated; /* 1: labels turned 45° */
		int min_shown, max_shown;
	} cases[] = {
		{ 6, 720, 0, 6, 6 },
		{ 12, 720, 0, 12, 12 },
		{ 24, 720, 1, 24, 24 },
		{ 60, 720, 1, 20, 30 },
		{ 60, 400, 1, 10, 20 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE("crowding");
		json_t *cats = json_array(), *vals = json_array();
		for (int k = 0; k < cases[i].n; k++) {
			char c[32];
			snprintf(c, sizeof c, "T%d/%d", k % 12 + 1, 2021 + k / 12);
			json_array_append_new(cats, json_string(c));
			json_array_append_new(vals, json_integer(k));
		}
		json_t *spec = json_pack("{s:s, s:s, s:o, s:[{s:s, s:o}], s:i}", "kind", "stacked",
					 "title", "Nhiều tháng", "categories", cats, "series", "name",
					 "Hồ sơ", "values", vals, "width", cases[i].width);
		char *svg = NULL;
		size_t len = 0;
		mc_err e = { 0 };
		CHECK_INT(doc_chart_svg(spec, &svg, &len, &e), 0);
		json_decref(spec);
		if (!svg)
			continue;
		CHECK(well_formed(svg));
		char *g = group(svg, "mc-categories");
		int shown = count(g, "<text ");
		CHECK(shown >= cases[i].min_shown && shown <= cases[i].max_shown);
		CHECK_INT(count(g, "rotate(-45") > 0, cases[i].rotated);
		CHECK(strstr(g, ">T1/2021</text>") != NULL); /* the first is always shown */
		bar b[64];
		CHECK_INT(bars(svg, b, 64), cases[i].n - 1); /* the 0 draws nothing */
		free(g);
		free(svg);
	}
}

static void empty_data(void)
{
	static const struct {
		const char *kind, *values, *max;
		int empty;
	} cases[] = {
		{ "bars", "[null,null]", "", 1 },    { "bars", "[0,0]", "", 1 },
		{ "stacked", "[null,0]", "", 1 },    { "lines", "[null,null]", "", 1 },
		{ "lines", "[0,0]", "", 1 },         { "hbars", "[null,0]", ",\"max\":[20,10]", 1 },
		{ "hbars", "[null,0]", "", 1 },      { "bars", "[0,0.1]", "", 0 },
		{ "lines", "[null,3]", "", 0 },      { "hbars", "[1,null]", ",\"max\":[20,10]", 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].kind);
		char js[512];
		snprintf(js, sizeof js,
			 "{\"kind\":\"%s\",\"title\":\"Trống\",\"categories\":[\"a\",\"b\"],"
			 "\"series\":[{\"name\":\"s\",\"values\":%s}]%s}",
			 cases[i].kind, cases[i].values, cases[i].max);
		char *svg = render(js);
		if (!svg)
			continue;
		CHECK(well_formed(svg));
		csp_clean(svg);
		CHECK_INT(count(svg, ">Không có dữ liệu</text>"), cases[i].empty);
		CHECK(strstr(svg, "<g class=\"mc-grid\">") != NULL); /* the axes all the same */
		CHECK(strstr(svg, ">a</text>") && strstr(svg, ">b</text>"));
		free(svg);
	}
}

/* Extremes: eight series of sixty values, long labels, the smallest size,
 * values large and tiny: still well-formed, every bar inside the picture. */
static void extremes(void)
{
	static const char *const kinds[] = { "stacked", "bars", "lines", "hbars" };
	for (size_t kk = 0; kk < MC_ARRAY_LEN(kinds); kk++) {
		T_CASE(kinds[kk]);
		json_t *cats = json_array(), *series = json_array();
		for (int k = 0; k < DOC_CHART_MAX_CATEGORIES; k++)
			json_array_append_new(
				cats, json_string("Thủ tục đăng ký khai sinh, kết hôn có yếu tố nước "
						  "ngoài"));
		for (int s = 0; s < DOC_CHART_MAX_SERIES; s++) {
			json_t *vals = json_array();
			for (int k = 0; k < DOC_CHART_MAX_CATEGORIES; k++)
				json_array_append_new(vals, (k + s) % 7 ? json_real(1e6 / (k + 1))
									: json_null());
			json_array_append_new(series,
					      json_pack("{s:s, s:o}", "name",
							"Tên dãy số liệu rất dài để thử việc cắt chữ "
							"ở chú giải",
							"values", vals));
		}
		json_t *spec = json_pack("{s:s, s:s, s:o, s:o, s:i, s:i}", "kind", kinds[kk],
					 "title",
					 "Một tiêu đề thật dài, dài hơn một dòng, để thử việc ngắt "
					 "dòng tiêu đề của biểu đồ giám sát & kiểm tra <đủ> ba dòng "
					 "rồi cắt phần còn lại",
					 "categories", cats, "series", series, "width", 240, "height",
					 160);
		char *svg = NULL;
		size_t len = 0;
		mc_err e = { 0 };
		CHECK_INT(doc_chart_svg(spec, &svg, &len, &e), 0);
		json_decref(spec);
		if (!svg)
			continue;
		CHECK(well_formed(svg));
		csp_clean(svg);
		CHECK(strstr(svg, "…") != NULL); /* something was cut */
		double x0, y0, y1, x1;
		axes(svg, &x0, &y0, &y1, &x1);
		CHECK(x0 >= 0 && x0 < x1 && x1 <= 240 && y0 >= 0 && y0 < y1 && y1 <= 160);
		bar b[600];
		int n = bars(svg, b, 600);
		for (int k = 0; k < n && k < 600; k++)
			CHECK(b[k].w >= 0 && b[k].h >= 0 && b[k].x >= 0 && b[k].y >= 0);
		free(svg);
	}
}

/* The same spec gives the same SVG (ids too): a page can be cached. */
static void deterministic(void)
{
	T_CASE("deterministic");
	const char *js = "{\"kind\":\"bars\",\"title\":\"t\",\"categories\":[\"a\"],"
			 "\"series\":[{\"name\":\"s\",\"values\":[1]}]}";
	char *a = render(js), *b = render(js);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
}

int main(void)
{
	sb seen;
	sb_init(&seen, 1 << 20);
	sb_add(&seen, " ");
	refusals();
	kind_bars(&seen);
	kind_stacked(&seen);
	kind_lines(&seen);
	kind_hbars(&seen);
	escaping(&seen);
	numbers();
	fixed_top();
	crowding();
	empty_data();
	extremes();
	deterministic();
	sb_release(&seen);
	return t_done();
}
