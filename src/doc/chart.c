/*
 * chart.c - supervision charts as inline SVG (see chart.h): the spec is
 * checked whole first, then laid out on estimated text widths (no font
 * is at hand here: widths are an average glyph width times the letters,
 * generous enough for Liberation Sans and Arial), then written with
 * presentation attributes only.
 */
#include "doc/chart.h"

#include <math.h>
#include <string.h>

#include "core/txt.h"
#include "sb.h"

enum { K_STACKED, K_BARS, K_LINES, K_HBARS };

static const char *const kind_name[] = { "stacked", "bars", "lines", "hbars" };
static const char *const kind_vi[] = { "Biểu đồ cột chồng", "Biểu đồ cột nhóm",
				       "Biểu đồ đường", "Biểu đồ thanh ngang" };

/* Okabe & Ito's palette, told apart by people with any common colour
 * blindness; each series also has a hatching or a marker for grey print. */
static const char *const palette[DOC_CHART_MAX_SERIES] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999",
};

/* Hatchings of an 8 × 8 tile, one per series (series 0 is solid). The
 * corner stubs keep diagonals unbroken where tiles meet. */
static const char *const hatch[DOC_CHART_MAX_SERIES] = {
	NULL,
	"M0,8L8,0M-1,1L1,-1M7,9L9,7",            /* diagonal / */
	"M0,0L8,8M0,8L8,0",                      /* cross x */
	NULL,                                    /* dots: a circle */
	"M0,4H8",                                /* horizontal */
	"M0,0L8,8M-1,7L1,9M7,-1L9,1",            /* diagonal \ */
	"M4,0V8",                                /* vertical */
	"M0,4H8M4,0V8",                          /* grid + */
};

/* Line dashes, one per series, for grey print. */
static const char *const dash[DOC_CHART_MAX_SERIES] = {
	NULL, "7 3", "2 3", "8 3 2 3", "4 4", "12 4", "1 3", "6 2 2 2 2 2",
};

#define FONT "Liberation Sans, Arial, Helvetica, sans-serif"
#define INK "#222"
#define PAD 10.0
#define F_TITLE 15.0
#define F_LABEL 12.0
#define F_SMALL 11.0
#define EMPTY_TEXT "Không có dữ liệu"

/* Text limits in bytes: they bound the SVG's size. */
#define MAX_TITLE 400
#define MAX_DESC 4000
#define MAX_NAME 200
#define MAX_UNIT 16
#define SVG_MAX (4u << 20)

typedef struct {
	const char *name;
	double v[DOC_CHART_MAX_CATEGORIES];
	int has[DOC_CHART_MAX_CATEGORIES]; /* 0: null */
} series;

typedef struct {
	int kind;
	const char *title, *desc, *unit;
	size_t nc, ns;
	const char *cat[DOC_CHART_MAX_CATEGORIES];
	series s[DOC_CHART_MAX_SERIES];
	double max[DOC_CHART_MAX_CATEGORIES];
	int has_max[DOC_CHART_MAX_CATEGORIES];
	int any_max;
	double y_max; /* 0: none given */
	double w, h;
	char id[16];
	/* layout */
	double top, step;         /* the value axis: 0..top, ticks every step */
	double px0, px1, py0, py1; /* the plot area: x left..right, y top..bottom */
	double head;              /* y below the title and the legend */
	int empty;                /* every value null or 0 */
	sb b;
} chart;

/* ---- checking the spec ---- */

/* 1 if s (n bytes, from a JSON string) is text an SVG can hold: valid
 * UTF-8, no NUL, no control character XML 1.0 forbids, no U+FFFE/FFFF. */
static int xml_text_ok(const char *s, size_t n)
{
	if (!txt_utf8_valid(s, n) || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return 0;
		if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
		    ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
			return 0;
	}
	return 1;
}

/* *out = the string j (field names it for the message); NULL j is
 * allowed when !required (then *out = dflt). */
static int get_text(const json_t *j, const char *field, size_t max, int required,
		    const char *dflt, const char **out, mc_err *e)
{
	if (!j) {
		if (required)
			return mc_fail(e, MCE_INVALID, "thiếu %s", "%s is missing", field);
		*out = dflt;
		return 0;
	}
	if (!json_is_string(j))
		return mc_fail(e, MCE_INVALID, "%s không phải chuỗi ký tự", "%s is not a string",
			       field);
	size_t n = json_string_length(j);
	if (!xml_text_ok(json_string_value(j), n))
		return mc_fail(e, MCE_INVALID,
			       "%s không phải văn bản UTF-8 hợp lệ hoặc có ký tự điều khiển",
			       "%s is not valid UTF-8 or holds a control character", field);
	if (n > max)
		return mc_fail(e, MCE_INVALID, "%s dài quá %zu byte", "%s is longer than %zu bytes",
			       field, max);
	*out = json_string_value(j);
	return 0;
}

/* A number >= 0 or null (*has = 0). */
static int get_value(const json_t *j, const char *field, double *v, int *has, mc_err *e)
{
	*has = 0;
	*v = 0;
	if (json_is_null(j))
		return 0;
	if (!json_is_number(j))
		return mc_fail(e, MCE_INVALID, "%s không phải số hoặc null",
			       "%s is not a number or null", field);
	double d = json_number_value(j);
	if (!(d >= 0 && d <= 1e15))
		return mc_fail(e, MCE_INVALID, "%s âm, lớn quá 10^15 hoặc không hữu hạn",
			       "%s is negative, above 10^15 or not finite", field);
	*v = d;
	*has = 1;
	return 0;
}

static int get_size(const json_t *spec, const char *field, double lo, double hi, double dflt,
		    double *out, mc_err *e)
{
	const json_t *j = json_object_get(spec, field);
	*out = dflt;
	if (!j)
		return 0;
	double d = json_is_number(j) ? json_number_value(j) : NAN;
	if (!(d >= lo && d <= hi))
		return mc_fail(e, MCE_INVALID, "%s phải là số từ %g đến %g",
			       "%s must be a number from %g to %g", field, lo, hi);
	*out = d;
	return 0;
}

static int parse_series(chart *c, const json_t *arr, mc_err *e)
{
	if (!json_is_array(arr) || json_array_size(arr) < 1 ||
	    json_array_size(arr) > DOC_CHART_MAX_SERIES)
		return mc_fail(e, MCE_INVALID, "series phải là mảng có 1 đến %d dãy số liệu",
			       "series must be an array of 1 to %d series", DOC_CHART_MAX_SERIES);
	c->ns = json_array_size(arr);
	for (size_t i = 0; i < c->ns; i++) {
		const json_t *o = json_array_get(arr, i);
		char f[64];
		snprintf(f, sizeof f, "series[%zu]", i);
		if (!json_is_object(o))
			return mc_fail(e, MCE_INVALID, "%s không phải đối tượng",
				       "%s is not an object", f);
		const char *k;
		const json_t *v;
		json_object_foreach ((json_t *)(uintptr_t)o, k, v) {
			if (strcmp(k, "name") && strcmp(k, "values"))
				return mc_fail(e, MCE_INVALID, "%s có trường lạ '%s'",
					       "%s has an unknown field '%s'", f, k);
		}
		snprintf(f, sizeof f, "series[%zu].name", i);
		int rc = get_text(json_object_get(o, "name"), f, MAX_NAME, 1, NULL, &c->s[i].name,
				  e);
		if (rc)
			return rc;
		const json_t *vals = json_object_get(o, "values");
		snprintf(f, sizeof f, "series[%zu].values", i);
		if (!json_is_array(vals) || json_array_size(vals) != c->nc)
			return mc_fail(e, MCE_INVALID, "%s phải là mảng có %zu giá trị (số nhãn)",
				       "%s must be an array of %zu values (one per category)", f,
				       c->nc);
		for (size_t j = 0; j < c->nc; j++) {
			snprintf(f, sizeof f, "series[%zu].values[%zu]", i, j);
			rc = get_value(json_array_get(vals, j), f, &c->s[i].v[j], &c->s[i].has[j],
				       e);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int parse(chart *c, const json_t *spec, mc_err *e)
{
	static const char *const keys[] = { "kind", "title", "desc", "categories", "series",
					    "max", "unit", "y_max", "width", "height" };
	if (!json_is_object(spec))
		return mc_fail(e, MCE_INVALID, "mô tả biểu đồ không phải đối tượng JSON",
			       "the chart spec is not a JSON object");
	const char *k;
	const json_t *v;
	json_object_foreach ((json_t *)(uintptr_t)spec, k, v) {
		size_t i = 0;
		while (i < MC_ARRAY_LEN(keys) && strcmp(k, keys[i]))
			i++;
		if (i == MC_ARRAY_LEN(keys))
			return mc_fail(e, MCE_INVALID, "trường lạ '%s'", "unknown field '%s'", k);
	}
	const char *kind = json_string_value(json_object_get(spec, "kind"));
	c->kind = -1;
	for (int i = 0; kind && i < (int)MC_ARRAY_LEN(kind_name); i++)
		if (!strcmp(kind, kind_name[i]))
			c->kind = i;
	if (c->kind < 0)
		return mc_fail(e, MCE_INVALID, "kind phải là stacked, bars, lines hoặc hbars",
			       "kind must be stacked, bars, lines or hbars");
	int rc = get_text(json_object_get(spec, "title"), "title", MAX_TITLE, 1, NULL, &c->title,
			  e);
	if (!rc)
		rc = get_text(json_object_get(spec, "desc"), "desc", MAX_DESC, 0, NULL, &c->desc,
			      e);
	if (!rc)
		rc = get_text(json_object_get(spec, "unit"), "unit", MAX_UNIT, 0, "", &c->unit, e);
	if (rc)
		return rc;

	const json_t *cats = json_object_get(spec, "categories");
	if (!json_is_array(cats) || json_array_size(cats) < 1 ||
	    json_array_size(cats) > DOC_CHART_MAX_CATEGORIES)
		return mc_fail(e, MCE_INVALID, "categories phải là mảng có 1 đến %d nhãn",
			       "categories must be an array of 1 to %d labels",
			       DOC_CHART_MAX_CATEGORIES);
	c->nc = json_array_size(cats);
	for (size_t i = 0; i < c->nc; i++) {
		char f[48];
		snprintf(f, sizeof f, "categories[%zu]", i);
		rc = get_text(json_array_get(cats, i), f, MAX_NAME, 1, NULL, &c->cat[i], e);
		if (rc)
			return rc;
	}
	rc = parse_series(c, json_object_get(spec, "series"), e);
	if (rc)
		return rc;

	const json_t *max = json_object_get(spec, "max");
	if (max && c->kind != K_HBARS)
		return mc_fail(e, MCE_INVALID, "max chỉ dùng cho kind hbars",
			       "max is for kind hbars only");
	if (max && (!json_is_array(max) || json_array_size(max) != c->nc))
		return mc_fail(e, MCE_INVALID, "max phải là mảng có %zu giá trị (số nhãn)",
			       "max must be an array of %zu values (one per category)", c->nc);
	for (size_t i = 0; max && i < c->nc; i++) {
		char f[48];
		snprintf(f, sizeof f, "max[%zu]", i);
		rc = get_value(json_array_get(max, i), f, &c->max[i], &c->has_max[i], e);
		if (rc)
			return rc;
		c->any_max |= c->has_max[i];
	}
	const json_t *ym = json_object_get(spec, "y_max");
	if (ym) {
		c->y_max = json_is_number(ym) ? json_number_value(ym) : NAN;
		if (!(c->y_max > 0 && c->y_max < 1e15))
			return mc_fail(e, MCE_INVALID, "y_max phải là số dương",
				       "y_max must be a positive number");
	}
	rc = get_size(spec, "width", 240, 4000, 720, &c->w, e);
	if (!rc)
		rc = get_size(spec, "height", 160, 4000, 320, &c->h, e);
	return rc;
}

/* ---- text: escaping, widths, numbers ---- */

static void esc(sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '"': sb_add(b, "&quot;"); break;
		case '\'': sb_add(b, "&apos;"); break;
		default: sb_addc(b, s[i]);
		}
	}
}

/* The code point at s (valid UTF-8); *len its bytes. */
static unsigned cp_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] < 0xE0) {
		*len = 2;
		return (u[0] & 0x1Fu) << 6 | (u[1] & 0x3Fu);
	}
	if (u[0] < 0xF0) {
		*len = 3;
		return (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
	}
	*len = 4;
	return (u[0] & 0x07u) << 18 | (u[1] & 0x3Fu) << 12 | (u[2] & 0x3Fu) << 6 | (u[3] & 0x3Fu);
}

static int combining(unsigned cp)
{
	return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1DC0 && cp <= 0x1DFF);
}

/* Width of code point cp in em, roughly as Liberation Sans (Arial's
 * metrics) has it; other fonts of the list are close enough. */
static double glyph_w(unsigned cp)
{
	if (cp >= 0x2E80)
		return 1.0; /* CJK and the like */
	if (cp >= 0x80)
		return 0.58; /* Vietnamese letters: mostly lower case */
	if (cp >= '0' && cp <= '9')
		return 0.556;
	if (strchr(" ijl|!.,:;'", (int)cp))
		return 0.25;
	if (strchr("ftr/()[]-", (int)cp))
		return 0.33;
	if (strchr("mwMW%", (int)cp))
		return 0.88;
	if (cp == 'I' || cp == 'J')
		return 0.3;
	if (cp >= 'A' && cp <= 'Z')
		return 0.67;
	if (cp >= 'a' && cp <= 'z')
		return 0.54;
	return 0.58;
}

/* Estimated width in px of n bytes of s at size (sans, regular). */
static double text_w(const char *s, size_t n, double size)
{
	double w = 0;
	for (size_t i = 0, l; i < n; i += l) {
		unsigned cp = cp_at(s + i, &l);
		if (!combining(cp))
			w += glyph_w(cp);
	}
	return w * size;
}

/* Bytes of s that fit in maxw px at size with an ellipsis after them,
 * cut before a letter (never between a letter and its marks); n if the
 * whole of s fits without one. */
static size_t fit(const char *s, double maxw, double size)
{
	size_t n = strlen(s);
	if (text_w(s, n, size) <= maxw)
		return n;
	double w = text_w("…", 3, size);
	size_t cut = 0, i = 0, l;
	while (i < n) {
		/* One letter and the marks after it. */
		size_t end = i;
		cp_at(s + end, &l);
		end += l;
		while (end < n) {
			unsigned cp = cp_at(s + end, &l);
			if (!combining(cp))
				break;
			end += l;
		}
		w += text_w(s + i, end - i, size);
		if (w > maxw)
			break;
		cut = i = end;
	}
	return cut;
}

/* s cut to maxw px (with "…" if cut), escaped, appended to b. OUT: 1 if
 * cut. */
static int esc_fit(sb *b, const char *s, double maxw, double size)
{
	size_t n = fit(s, maxw, size);
	esc(b, s, n);
	if (n == strlen(s))
		return 0;
	sb_add(b, "…");
	return 1;
}

/*
 * A value as Vietnamese writes it: up to 6 significant digits, a decimal
 * comma, a dot between thousands ("1.250.000", "97,5"), then the unit.
 */
static void fmt_num(char *out, size_t size, double v, const char *unit)
{
	char t[64];
	if (v >= 1e15) {
		snprintf(t, sizeof t, "%.6g", v);
	} else {
		int digits = v < 1 ? 1 : (int)floor(log10(v)) + 1;
		int dec = 6 - digits;
		dec = dec < 0 ? 0 : dec > 6 ? 6 : dec;
		snprintf(t, sizeof t, "%.*f", dec, v);
		char *dot = strchr(t, '.');
		if (dot) {
			char *end = t + strlen(t);
			while (end > dot + 1 && end[-1] == '0')
				*--end = 0;
			if (end == dot + 1)
				*dot = 0;
		}
	}
	if (!strcmp(t, "-0"))
		t[0] = '0', t[1] = 0;
	/* Thousands dots in the integer part, the decimal point a comma. */
	char r[96];
	size_t ni = strcspn(t, ".e"), o = 0;
	for (size_t i = 0; t[i] && o + 2 < sizeof r; i++) {
		if (i < ni && i > 0 && (ni - i) % 3 == 0 && !strchr(t, 'e'))
			r[o++] = '.';
		r[o++] = t[i] == '.' ? ',' : t[i];
	}
	r[o] = 0;
	snprintf(out, size, "%s%s", r, unit);
}

/* ---- the value axis ---- */

/* The top and step of a value axis for values up to maxv (> 0). ints:
 * every value is a whole number (counts): no step below 1. */
static void nice_axis(double maxv, int ints, double *top, double *step)
{
	static const double c[] = { 1, 2, 2.5, 5, 10 };
	double p = pow(10, floor(log10(maxv)));
	size_t i = 0;
	while (i + 1 < MC_ARRAY_LEN(c) && c[i] * p < maxv * (1 - 1e-12))
		i++;
	*top = c[i] * p;
	*step = *top / (c[i] == 2 ? 4 : 5);
	if (ints && *step < 1) {
		*step = 1;
		*top = ceil(maxv);
	}
}

/* A step of {1, 2, 2.5, 5} × 10^k giving about 5 ticks up to a fixed top. */
static double nice_step(double top, int ints)
{
	static const double c[] = { 1, 2, 2.5, 5, 10 };
	double p = pow(10, floor(log10(top / 5))), best = p;
	for (size_t i = 0; i < MC_ARRAY_LEN(c); i++)
		if (fabs(top / (c[i] * p) - 5) < fabs(top / best - 5))
			best = c[i] * p;
	return ints && best < 1 ? 1 : best;
}

static void scale(chart *c)
{
	double maxv = 0;
	int ints = 1;
	for (size_t j = 0; j < c->nc; j++) {
		double sum = 0;
		for (size_t i = 0; i < c->ns; i++) {
			if (!c->s[i].has[j])
				continue;
			double v = c->s[i].v[j];
			ints &= v == floor(v);
			sum = c->kind == K_STACKED ? sum + v : fmax(sum, v);
		}
		if (sum > 0)
			c->empty = 0;
		if (c->has_max[j]) {
			sum = fmax(sum, c->max[j]);
			ints &= c->max[j] == floor(c->max[j]);
		}
		maxv = fmax(maxv, sum);
	}
	if (c->y_max > 0) {
		c->top = c->y_max;
		c->step = nice_step(c->top, ints);
	} else {
		nice_axis(maxv > 0 ? maxv : 1, ints, &c->top, &c->step);
	}
}

/* The value v as a length along an axis of len px. */
static double along(const chart *c, double v, double len)
{
	return fmin(v, c->top) / c->top * len;
}

/* ---- the parts of the picture ---- */

static void fill_attr(chart *c, size_t i)
{
	if (hatch[i] || i == 3)
		sb_addf(&c->b, " fill=\"url(#%s-p%zu)\"", c->id, i);
	else
		sb_addf(&c->b, " fill=\"%s\"", palette[i]);
}

static void defs(chart *c)
{
	if (c->kind == K_LINES)
		return;
	sb_add(&c->b, "<defs>");
	for (size_t i = 1; i < c->ns; i++) {
		sb_addf(&c->b,
			"<pattern id=\"%s-p%zu\" width=\"8\" height=\"8\" "
			"patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" "
			"fill=\"%s\"/>",
			c->id, i, palette[i]);
		if (hatch[i])
			sb_addf(&c->b, "<path d=\"%s\" stroke=\"#000\" stroke-width=\"1\"/>",
				hatch[i]);
		else
			sb_add(&c->b, "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#000\"/>");
		sb_add(&c->b, "</pattern>");
	}
	sb_add(&c->b, "</defs>");
}

/* A marker of series i's shape centred on (x, y), with a tooltip tip. */
static void marker(chart *c, size_t i, double x, double y, const char *tip)
{
	/* Unit outlines: square, triangle, diamond, triangle down, plus,
	 * cross, star (series 0 is a circle). */
	static const double shape[7][24] = {
		{ -0.9, -0.9, 0.9, -0.9, 0.9, 0.9, -0.9, 0.9 },
		{ 0, -1.25, 1.15, 0.85, -1.15, 0.85 },
		{ 0, -1.3, 1.3, 0, 0, 1.3, -1.3, 0 },
		{ 0, 1.25, 1.15, -0.85, -1.15, -0.85 },
		{ -0.4, -1.2, 0.4, -1.2, 0.4, -0.4, 1.2, -0.4, 1.2, 0.4, 0.4, 0.4,
		  0.4, 1.2, -0.4, 1.2, -0.4, 0.4, -1.2, 0.4, -1.2, -0.4, -0.4, -0.4 },
		{ 0, -0.57, 0.85, -1.41, 1.41, -0.85, 0.57, 0, 1.41, 0.85, 0.85, 1.41,
		  0, 0.57, -0.85, 1.41, -1.41, 0.85, -0.57, 0, -1.41, -0.85, -0.85, -1.41 },
		{ 0, -1.35, 0.32, -0.44, 1.28, -0.42, 0.51, 0.17, 0.79, 1.09, 0,
		  0.54, -0.79, 1.09, -0.51, 0.17, -1.28, -0.42, -0.32, -0.44 },
	};
	static const int pts[7] = { 4, 3, 4, 3, 12, 12, 10 };
	const double r = 4.5;
	if (i == 0) {
		sb_addf(&c->b, "<circle class=\"mc-mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y,
			r);
	} else {
		sb_add(&c->b, "<path class=\"mc-mark\" d=\"M");
		for (int k = 0; k < pts[i - 1]; k++)
			sb_addf(&c->b, "%s%.1f,%.1f", k ? "L" : "", x + r * shape[i - 1][2 * k],
				y + r * shape[i - 1][2 * k + 1]);
		sb_add(&c->b, "Z\"");
	}
	sb_addf(&c->b, " fill=\"%s\" stroke=\"%s\" stroke-width=\"1\">", palette[i], INK);
	if (tip) {
		sb_add(&c->b, "<title>");
		esc(&c->b, tip, strlen(tip));
		sb_add(&c->b, "</title>");
	}
	sb_add(&c->b, i == 0 ? "</circle>" : "</path>");
}

/* The title, wrapped to 3 lines (fewer in a low picture); returns the y
 * below it. */
static double title(chart *c)
{
	double maxw = c->w - 2 * PAD, y = PAD + F_TITLE;
	const char *s = c->title;
	int lines = (int)(c->h * 0.2 / (F_TITLE * 1.25));
	lines = lines < 1 ? 1 : lines > 3 ? 3 : lines;
	sb_addf(&c->b,
		"<text class=\"mc-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		"font-size=\"%g\" font-weight=\"bold\" fill=\"#000\">",
		c->w / 2, y, F_TITLE);
	for (int line = 0; *s && line < lines; line++) {
		/* The most words that fit (at least one, cut if it is too long). */
		size_t n = strlen(s), end = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i < n && s[i] != ' ')
				continue;
			if (text_w(s, i, F_TITLE * 1.08) > maxw && end)
				break;
			end = i;
		}
		if (line == lines - 1 && end < n)
			end = n; /* the last line takes the rest, cut below */
		sb_addf(&c->b, "<tspan x=\"%.1f\" dy=\"%s\">", c->w / 2, line ? "1.25em" : "0");
		char *part = mc_xstrndup(s, end);
		esc_fit(&c->b, part, maxw, F_TITLE * 1.08);
		free(part);
		sb_add(&c->b, "</tspan>");
		s += end;
		while (*s == ' ')
			s++;
		y += line ? F_TITLE * 1.25 : 0;
	}
	sb_add(&c->b, "</text>");
	return y + 8;
}

/* Rows the legend takes with names cut to cap px. OUT: ew, each entry's
 * width. */
static int legend_rows(const chart *c, double cap, double key, double *ew)
{
	int rows = 0;
	double maxw = c->w - 2 * PAD, rw = 0;
	for (size_t i = 0; i < c->ns; i++) {
		ew[i] = key + 5 + fmin(text_w(c->s[i].name, strlen(c->s[i].name), F_LABEL), cap) +
			16;
		if (i == 0 || rw + ew[i] > maxw) {
			rows++;
			rw = 0;
		}
		rw += ew[i];
	}
	return rows;
}

/* The legend in centred rows from y; returns the y below it. Long names
 * are cut shorter while the legend would take over a quarter of the
 * height. */
static double legend(chart *c, double y)
{
	double ew[DOC_CHART_MAX_SERIES], maxw = c->w - 2 * PAD, key = c->kind == K_LINES ? 28 : 14;
	double cap = maxw - key - 21;
	while (cap > 60 && legend_rows(c, cap, key, ew) * 20 > c->h * 0.25)
		cap *= 0.8;
	MC_IGNORE(legend_rows(c, cap, key, ew));
	sb_add(&c->b, "<g class=\"mc-legend\">");
	size_t i = 0;
	while (i < c->ns) {
		size_t j = i;
		double rw = 0;
		while (j < c->ns && (j == i || rw + ew[j] <= maxw))
			rw += ew[j++];
		double x = (c->w - rw + 16) / 2;
		for (; i < j; i++) {
			if (c->kind == K_LINES) {
				sb_addf(&c->b,
					"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
					"stroke=\"%s\" stroke-width=\"2\"",
					x, y + 7, x + key, y + 7, palette[i]);
				if (dash[i])
					sb_addf(&c->b, " stroke-dasharray=\"%s\"", dash[i]);
				sb_add(&c->b, "/>");
				marker(c, i, x + key / 2, y + 7, NULL);
			} else {
				sb_addf(&c->b,
					"<rect class=\"mc-key\" x=\"%.1f\" y=\"%.1f\" width=\"14\" "
					"height=\"14\"",
					x, y);
				fill_attr(c, i);
				sb_addf(&c->b, " stroke=\"%s\" stroke-width=\"0.8\"/>", INK);
			}
			sb_addf(&c->b,
				"<text x=\"%.1f\" y=\"%.1f\" font-size=\"%g\" fill=\"#000\">",
				x + key + 5, y + 11.5, F_LABEL);
			esc_fit(&c->b, c->s[i].name, cap, F_LABEL);
			sb_add(&c->b, "</text>");
			x += ew[i];
		}
		y += 20;
	}
	sb_add(&c->b, "</g>");
	return y + 4;
}

/* One tick's label text. */
static void tick_label(const chart *c, int k, char *out, size_t size)
{
	fmt_num(out, size, k * c->step, c->unit);
}

static int tick_count(const chart *c)
{
	int n = (int)floor(c->top / c->step * (1 + 1e-9)) + 1;
	return n > 51 ? 51 : n;
}

static double widest_tick(const chart *c)
{
	double w = 0;
	char t[128];
	for (int k = 0; k < tick_count(c); k++) {
		tick_label(c, k, t, sizeof t);
		w = fmax(w, text_w(t, strlen(t), F_SMALL));
	}
	return w;
}

/* Gridlines, ticks and the axis line. vertical: values go up (columns,
 * lines); else to the right (hbars). */
static void grid(chart *c, int vertical)
{
	char t[128];
	/* Every m-th tick labelled when a small plot crowds them. */
	double len = vertical ? c->py1 - c->py0 : c->px1 - c->px0;
	double gap = along(c, c->step, len), need = vertical ? F_SMALL + 2 : widest_tick(c) + 8;
	int m = gap > 0 && need > gap ? (int)ceil(need / gap) : 1;
	sb_add(&c->b, "<g class=\"mc-grid\">");
	for (int k = 0; k < tick_count(c); k++) {
		tick_label(c, k, t, sizeof t);
		if (k % m)
			t[0] = 0;
		if (vertical) {
			double y = c->py1 - along(c, k * c->step, c->py1 - c->py0);
			sb_addf(&c->b,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#bbb\" stroke-width=\"0.6\"/>"
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"%g\" "
				"fill=\"#000\">",
				c->px0, y, c->px1, y, c->px0 - 5, y + 4, F_SMALL);
		} else {
			double x = c->px0 + along(c, k * c->step, c->px1 - c->px0);
			sb_addf(&c->b,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				"stroke=\"#bbb\" stroke-width=\"0.6\"/>"
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%g\" "
				"fill=\"#000\">",
				x, c->py0, x, c->py1, x, c->py1 + 15, F_SMALL);
		}
		esc(&c->b, t, strlen(t));
		sb_add(&c->b, "</text>");
	}
	/* The axes: the value axis and the category axis, dark. */
	sb_addf(&c->b,
		"<path d=\"M%.1f,%.1fV%.1fH%.1f\" fill=\"none\" stroke=\"%s\" "
		"stroke-width=\"1\"/></g>",
		c->px0, c->py0, c->py1, c->px1, INK);
}

/* A category label, cut to maxw, with the whole label as its tooltip if
 * cut. The <text> is opened by the caller. */
static void cat_text(chart *c, size_t j, double maxw)
{
	sb tmp;
	sb_init(&tmp, 4096);
	int cut = esc_fit(&tmp, c->cat[j], maxw, F_LABEL);
	if (cut) {
		sb_add(&c->b, "<title>");
		esc(&c->b, c->cat[j], strlen(c->cat[j]));
		sb_add(&c->b, "</title>");
	}
	sb_add(&c->b, sb_str(&tmp));
	sb_release(&tmp);
	sb_add(&c->b, "</text>");
}

/* A label over the plot (a value) with a white halo so it reads on
 * hatching and gridlines. */
static void value_text(chart *c, double x, double y, const char *anchor, const char *t, int bold)
{
	sb_addf(&c->b,
		"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%g\"%s fill=\"#000\" "
		"stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" "
		"paint-order=\"stroke\">",
		x, y, anchor, F_SMALL, bold ? " font-weight=\"bold\"" : "");
	esc(&c->b, t, strlen(t));
	sb_add(&c->b, "</text>");
}

/* "series – category: value" for a tooltip. */
static void tip(const chart *c, size_t i, size_t j, char *out, size_t size)
{
	char v[64];
	fmt_num(v, sizeof v, c->s[i].v[j], c->unit);
	snprintf(out, size, "%s – %s: %s", c->s[i].name, c->cat[j], v);
}

static void bar_rect(chart *c, size_t i, size_t j, double x, double y, double w, double h)
{
	char t[600];
	sb_addf(&c->b,
		"<rect class=\"mc-bar\" data-series=\"%zu\" data-category=\"%zu\" x=\"%.1f\" "
		"y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		i, j, x, y, w, h);
	fill_attr(c, i);
	sb_addf(&c->b, " stroke=\"%s\" stroke-width=\"0.8\"><title>", INK);
	tip(c, i, j, t, sizeof t);
	esc(&c->b, t, strlen(t));
	sb_add(&c->b, "</title></rect>");
}

/* The plot area's top and bottom: below the head, with below px under
 * it for labels; at least 40 px high if the picture has room, and always
 * inside it. */
static void plot_rows(chart *c, double below)
{
	c->py0 = c->head + 8;
	c->py1 = fmax(c->h - PAD - below, c->py0 + 40);
	c->py1 = fmin(c->py1, c->h - PAD - F_SMALL);
	c->py0 = fmin(c->py0, c->py1 - 20);
}

/* Columns and lines: the plot area below the head, category labels
 * under it (rotated, and every k-th only, when they would overlap). */
static void layout_columns(chart *c)
{
	c->px0 = PAD + widest_tick(c) + 8;
	c->px1 = c->w - PAD - 6;
	double slot = (c->px1 - c->px0) / (double)c->nc, maxcw = 0;
	for (size_t j = 0; j < c->nc; j++)
		maxcw = fmax(maxcw, text_w(c->cat[j], strlen(c->cat[j]), F_LABEL));
	int rotate = maxcw > slot - 3;
	/* Rotated labels 45° apart by slot px are slot·sin 45° apart. */
	size_t k = rotate ? (size_t)ceil(F_LABEL * 1.25 / (slot * 0.7071)) : 1;
	double lw = rotate ? fmin(maxcw, c->h * 0.25) : slot - 3;
	if (rotate && lw * 0.7071 > c->px0 + slot / 2 - 2) {
		/* The first label, turned, would run off the left edge. */
		c->px0 = lw * 0.7071 - slot / 2 + 2;
		slot = (c->px1 - c->px0) / (double)c->nc;
		k = (size_t)ceil(F_LABEL * 1.25 / (slot * 0.7071));
	}
	double below = rotate ? lw * 0.7071 + F_LABEL + 10 : F_LABEL + 12;
	plot_rows(c, below);
	grid(c, 1);
	sb_add(&c->b, "<g class=\"mc-categories\">");
	for (size_t j = 0; j < c->nc; j += k) {
		double x = c->px0 + (j + 0.5) * slot, y = c->py1 + F_LABEL + 6;
		if (rotate)
			sb_addf(&c->b,
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"%g\" "
				"fill=\"#000\" transform=\"rotate(-45 %.1f %.1f)\">",
				x + 4, y - 2, F_LABEL, x + 4, y - 2);
		else
			sb_addf(&c->b,
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
				"font-size=\"%g\" fill=\"#000\">",
				x, y, F_LABEL);
		cat_text(c, j, lw);
	}
	sb_add(&c->b, "</g>");
}

static void draw_stacked(chart *c)
{
	double slot = (c->px1 - c->px0) / (double)c->nc, bw = slot * 0.6, ph = c->py1 - c->py0;
	char t[128];
	sb_add(&c->b, "<g class=\"mc-data\">");
	for (size_t j = 0; j < c->nc; j++) {
		double x = c->px0 + j * slot + (slot - bw) / 2, sum = 0;
		int parts = 0;
		for (size_t i = 0; i < c->ns; i++) {
			if (!c->s[i].has[j] || c->s[i].v[j] == 0)
				continue;
			double lo = c->py1 - along(c, sum, ph);
			double hi = c->py1 - along(c, sum + c->s[i].v[j], ph);
			sum += c->s[i].v[j];
			parts++;
			bar_rect(c, i, j, x, hi, bw, lo - hi);
			fmt_num(t, sizeof t, c->s[i].v[j], c->unit);
			if (lo - hi >= F_SMALL + 3 && text_w(t, strlen(t), F_SMALL) + 4 <= bw)
				value_text(c, x + bw / 2, (lo + hi) / 2 + 4, "middle", t, 0);
		}
		/* The total over the column when there is more than one part. */
		fmt_num(t, sizeof t, sum, c->unit);
		double top = c->py1 - along(c, sum, ph);
		if (parts > 1 && top - c->py0 >= F_SMALL &&
		    text_w(t, strlen(t), F_SMALL) + 2 <= slot)
			value_text(c, x + bw / 2, top - 4, "middle", t, 1);
	}
	sb_add(&c->b, "</g>");
}

static void draw_bars(chart *c)
{
	double slot = (c->px1 - c->px0) / (double)c->nc, gw = slot * 0.8, ph = c->py1 - c->py0;
	double bw = gw / (double)c->ns;
	char t[128];
	sb_add(&c->b, "<g class=\"mc-data\">");
	for (size_t j = 0; j < c->nc; j++) {
		for (size_t i = 0; i < c->ns; i++) {
			if (!c->s[i].has[j])
				continue;
			double x = c->px0 + j * slot + (slot - gw) / 2 + i * bw;
			double h = along(c, c->s[i].v[j], ph);
			bar_rect(c, i, j, x, c->py1 - h, bw, h);
			fmt_num(t, sizeof t, c->s[i].v[j], c->unit);
			double y = c->py1 - h - 4;
			if (y - F_SMALL < c->py0 - 6)
				y = c->py1 - h + F_SMALL + 2; /* a full column: inside its top */
			if (text_w(t, strlen(t), F_SMALL) + 1 <= bw)
				value_text(c, x + bw / 2, y, "middle", t, 0);
		}
	}
	sb_add(&c->b, "</g>");
}

static void draw_lines(chart *c)
{
	double slot = (c->px1 - c->px0) / (double)c->nc, ph = c->py1 - c->py0;
	char t[600];
	sb_add(&c->b, "<g class=\"mc-data\">");
	for (size_t i = 0; i < c->ns; i++) {
		/* One polyline per run of values; a null breaks the line. */
		for (size_t j = 0; j < c->nc;) {
			size_t r = j;
			while (r < c->nc && c->s[i].has[r])
				r++;
			if (r - j >= 2) {
				sb_add(&c->b, "<polyline class=\"mc-line\" points=\"");
				for (size_t q = j; q < r; q++)
					sb_addf(&c->b, "%s%.1f,%.1f", q > j ? " " : "",
						c->px0 + (q + 0.5) * slot,
						c->py1 - along(c, c->s[i].v[q], ph));
				sb_addf(&c->b,
					"\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
					"stroke-linejoin=\"round\"",
					palette[i]);
				if (dash[i])
					sb_addf(&c->b, " stroke-dasharray=\"%s\"", dash[i]);
				sb_add(&c->b, "/>");
			}
			j = r > j ? r : j + 1;
		}
	}
	for (size_t i = 0; i < c->ns; i++)
		for (size_t j = 0; j < c->nc; j++) {
			if (!c->s[i].has[j])
				continue;
			tip(c, i, j, t, sizeof t);
			marker(c, i, c->px0 + (j + 0.5) * slot,
			       c->py1 - along(c, c->s[i].v[j], ph), t);
		}
	/* Value labels where they fit: the highest point's above it, the
	 * lowest's below it (others would collide). */
	for (size_t j = 0; j < c->nc; j++) {
		size_t hi = SIZE_MAX, lo = SIZE_MAX;
		for (size_t i = 0; i < c->ns; i++) {
			if (!c->s[i].has[j])
				continue;
			if (hi == SIZE_MAX || c->s[i].v[j] > c->s[hi].v[j])
				hi = i;
			if (lo == SIZE_MAX || c->s[i].v[j] < c->s[lo].v[j])
				lo = i;
		}
		if (hi == SIZE_MAX)
			continue;
		double x = c->px0 + (j + 0.5) * slot;
		fmt_num(t, sizeof t, c->s[hi].v[j], c->unit);
		if (text_w(t, strlen(t), F_SMALL) + 4 <= slot)
			value_text(c, x, c->py1 - along(c, c->s[hi].v[j], ph) - 8, "middle", t, 0);
		fmt_num(t, sizeof t, c->s[lo].v[j], c->unit);
		if (lo != hi && c->s[lo].v[j] < c->s[hi].v[j] &&
		    text_w(t, strlen(t), F_SMALL) + 4 <= slot)
			value_text(c, x, c->py1 - along(c, c->s[lo].v[j], ph) + F_SMALL + 7,
				   "middle", t, 0);
	}
	sb_add(&c->b, "</g>");
}

/* A value label of hbars: "value" or "value/max". */
static void hbar_label(const chart *c, size_t i, size_t j, char *out, size_t size)
{
	char v[64], m[64];
	if (c->has_max[j]) {
		fmt_num(v, sizeof v, c->s[i].v[j], "");
		fmt_num(m, sizeof m, c->max[j], c->unit);
		snprintf(out, size, "%s/%s", v, m);
	} else {
		fmt_num(out, size, c->s[i].v[j], c->unit);
	}
}

static void draw_hbars(chart *c)
{
	char t[160];
	double maxcw = 0, lab = 0;
	for (size_t j = 0; j < c->nc; j++) {
		maxcw = fmax(maxcw, text_w(c->cat[j], strlen(c->cat[j]), F_LABEL));
		for (size_t i = 0; i < c->ns; i++)
			if (c->s[i].has[j]) {
				hbar_label(c, i, j, t, sizeof t);
				lab = fmax(lab, text_w(t, strlen(t), F_SMALL));
			}
	}
	double cw = fmin(maxcw, c->w * 0.35);
	c->px0 = PAD + cw + 8;
	c->px1 = c->w - PAD - fmax(lab + 6, widest_tick(c) / 2);
	plot_rows(c, F_SMALL + 10);
	grid(c, 0);
	double row = (c->py1 - c->py0) / (double)c->nc, band = row * 0.7, pw = c->px1 - c->px0;
	double inner = c->any_max ? band * 0.6 : band, bh = inner / (double)c->ns;
	size_t k = (size_t)ceil((F_LABEL + 1) / row);
	sb_add(&c->b, "<g class=\"mc-categories\">");
	for (size_t j = 0; j < c->nc; j += k) {
		sb_addf(&c->b,
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"%g\" "
			"fill=\"#000\">",
			c->px0 - 6, c->py0 + (j + 0.5) * row + 4, F_LABEL);
		cat_text(c, j, cw);
	}
	sb_add(&c->b, "</g><g class=\"mc-data\">");
	for (size_t j = 0; j < c->nc; j++) {
		double y = c->py0 + j * row + (row - band) / 2, end = c->px0;
		if (c->has_max[j]) {
			double mw = along(c, c->max[j], pw);
			sb_addf(&c->b,
				"<rect class=\"mc-max\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"none\" stroke=\"%s\" stroke-width=\"1\" "
				"stroke-dasharray=\"4 2\"/>",
				c->px0, y, mw, band, INK);
			end = c->px0 + mw;
		}
		for (size_t i = 0; i < c->ns; i++) {
			if (!c->s[i].has[j])
				continue;
			double by = y + (band - inner) / 2 + i * bh, w = along(c, c->s[i].v[j], pw);
			bar_rect(c, i, j, c->px0, by, w, bh);
			hbar_label(c, i, j, t, sizeof t);
			if (bh >= F_SMALL - 2 || c->ns == 1)
				value_text(c, fmax(end, c->px0 + w) + 4, by + bh / 2 + 4, "start",
					   t, 0);
		}
	}
	sb_add(&c->b, "</g>");
}

/* ---- the whole ---- */

static void make_id(chart *c, const json_t *spec)
{
	char *s = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = s ? s : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	free(s);
	snprintf(c->id, sizeof c->id, "mcc%08x", (unsigned)h);
}

/* The <desc>: the spec's, or the data as text (for screen readers). */
static void desc(chart *c)
{
	sb_addf(&c->b, "<desc id=\"%s-d\">", c->id);
	if (c->desc) {
		esc(&c->b, c->desc, strlen(c->desc));
	} else {
		char v[64];
		sb_addf(&c->b, "%s.", kind_vi[c->kind]);
		for (size_t j = 0; j < c->nc; j++) {
			sb_add(&c->b, " ");
			esc(&c->b, c->cat[j], strlen(c->cat[j]));
			sb_add(&c->b, ":");
			for (size_t i = 0; i < c->ns; i++) {
				sb_add(&c->b, i ? ", " : " ");
				esc(&c->b, c->s[i].name, strlen(c->s[i].name));
				if (c->s[i].has[j]) {
					if (c->kind == K_HBARS)
						hbar_label(c, i, j, v, sizeof v);
					else
						fmt_num(v, sizeof v, c->s[i].v[j], c->unit);
					sb_add(&c->b, " ");
					esc(&c->b, v, strlen(v));
				} else {
					sb_add(&c->b, " không có số liệu");
				}
			}
			sb_add(&c->b, ";");
		}
	}
	sb_add(&c->b, "</desc>");
}

int doc_chart_svg(const json_t *spec, char **svg, size_t *len, mc_err *e)
{
	*svg = NULL;
	*len = 0;
	chart *c = mc_xcalloc(1, sizeof *c);
	int rc = parse(c, spec, e);
	if (rc)
		goto out;
	make_id(c, spec);
	c->empty = 1;
	scale(c);
	sb_init(&c->b, SVG_MAX);
	sb_addf(&c->b,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" role=\"img\" "
		"aria-labelledby=\"%s-t %s-d\" font-family=\"%s\" font-size=\"%g\">"
		"<title id=\"%s-t\">",
		c->w, c->h, c->id, c->id, FONT, F_LABEL, c->id);
	esc(&c->b, c->title, strlen(c->title));
	sb_add(&c->b, "</title>");
	desc(c);
	defs(c);
	sb_addf(&c->b, "<rect class=\"mc-bg\" width=\"%g\" height=\"%g\" fill=\"#fff\"/>", c->w,
		c->h);
	c->head = legend(c, title(c));
	if (c->kind == K_HBARS) {
		draw_hbars(c);
	} else {
		layout_columns(c);
		if (c->kind == K_STACKED)
			draw_stacked(c);
		else if (c->kind == K_BARS)
			draw_bars(c);
		else
			draw_lines(c);
	}
	if (c->empty)
		sb_addf(&c->b,
			"<text class=\"mc-empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
			"font-size=\"14\" fill=\"#444\">" EMPTY_TEXT "</text>",
			(c->px0 + c->px1) / 2, (c->py0 + c->py1) / 2 + 5);
	sb_add(&c->b, "</svg>\n");
	if (sb_err(&c->b)) {
		rc = mc_fail(e, MCE_INTERNAL, "biểu đồ quá lớn", "the chart is too large");
		goto out;
	}
	*len = c->b.len;
	*svg = sb_take(&c->b);
out:
	sb_release(&c->b);
	free(c);
	return rc;
}
