/*
 * cal_csv.c - the days-off schedule CSV (RFC 4180): reads, checks and
 * applies a file to a cal_sched (see cal_sched_add_csv in cal.h).
 */
#include "cal_int.h"

typedef struct {
	const char *p, *end;
	int line; /* current physical line, 1-based */
} csv_reader;

#define CSV_MAX_FIELDS 8

typedef struct {
	char *buf; /* fields, each NUL-terminated */
	size_t len, cap;
	size_t off[CSV_MAX_FIELDS];
	int nf;	  /* number of fields seen (may exceed CSV_MAX_FIELDS) */
	int line; /* line on which the record starts */
} csv_record;

static void rec_putc(csv_record *r, char c)
{
	if (r->len + 1 >= r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->buf = mc_xrealloc(r->buf, r->cap);
	}
	r->buf[r->len++] = c;
}

static void rec_end_field(csv_record *r)
{
	rec_putc(r, '\0');
	r->nf++;
	if (r->nf < CSV_MAX_FIELDS)
		r->off[r->nf] = r->len;
}

static const char *rec_field(const csv_record *r, int i)
{
	return r->buf + r->off[i];
}

/* Reads one RFC 4180 record (CRLF or LF line ends, quoted fields may hold
 * commas, doubled quotes and line breaks). Returns 1 if a record was read,
 * 0 at the end of the text, -1 on a quoting error (e set). */
static int csv_read(csv_reader *rd, csv_record *r, mc_err *e)
{
	r->len = 0;
	r->nf = 0;
	r->off[0] = 0;
	r->line = rd->line;
	if (rd->p >= rd->end)
		return 0;
	for (;;) {
		if (rd->p < rd->end && *rd->p == '"') {
			rd->p++;
			for (;;) {
				if (rd->p >= rd->end) {
					mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: thiếu dấu nháy kép đóng",
						"line %d: unterminated quote", r->line);
					return -1;
				}
				if (*rd->p == '"') {
					if (rd->p + 1 < rd->end && rd->p[1] == '"') {
						rec_putc(r, '"');
						rd->p += 2;
						continue;
					}
					rd->p++;
					break;
				}
				if (*rd->p == '\n')
					rd->line++;
				rec_putc(r, *rd->p++);
			}
			if (rd->p < rd->end && *rd->p != ',' && *rd->p != '\r' && *rd->p != '\n') {
				mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: có chữ sau dấu nháy kép đóng",
					"line %d: text after a closing quote", rd->line);
				return -1;
			}
		} else {
			while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\r' && *rd->p != '\n')
				rec_putc(r, *rd->p++);
		}
		rec_end_field(r);
		if (rd->p >= rd->end)
			return 1;
		if (*rd->p == ',') {
			rd->p++;
			continue;
		}
		/* End of line: CRLF, LF or a lone CR. */
		if (*rd->p == '\r')
			rd->p++;
		if (rd->p < rd->end && *rd->p == '\n')
			rd->p++;
		rd->line++;
		return 1;
	}
}

static const char *const csv_header[] = {
	"date", "weekday", "status", "civil_servant_working_day", "occasion", "source",
};

static const char *const weekday_abbr[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y || !x)
			return x - y;
	}
}

typedef struct {
	int32_t day;
	int kind;
	int line;
	char *occasion, *source;
} csv_row;

/* Checks one data record. OUT: *row (strings copied). */
static int check_row(const csv_record *r, csv_row *row, mc_err *e)
{
	const char *date, *wd, *status, *civil;
	int32_t day;
	int kind, w, working;
	mc_err pe;

	if (r->nf != 6)
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: cần 6 cột, có %d cột",
			       "line %d: expected 6 fields, found %d", r->line, r->nf);
	date = rec_field(r, 0);
	wd = rec_field(r, 1);
	status = rec_field(r, 2);
	civil = rec_field(r, 3);
	if (cal_parse_date(date, &day, &pe))
		/* "%.0s" skips the other language's message. */
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %1$d: %2$s%3$.0s",
			       "line %1$d: %3$s%2$.0s", r->line, pe.vi, pe.msg);
	w = cal_weekday(day);
	if (ascii_casecmp(wd, weekday_abbr[w]) != 0)
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: thứ '%s' không khớp với ngày '%s' (%s)",
			       "line %d: weekday '%s' does not match date '%s' (%s)", r->line, wd,
			       date, weekday_abbr[w]);
	kind = cal_kind_parse(status);
	if (kind < 0)
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: không có trạng thái '%s'",
			       "line %d: unknown status '%s'", r->line, status);
	if (kind == CAL_WEEKEND || kind == CAL_HOLIDAY_ON_WEEKEND || kind == CAL_MAKEUP_WORKDAY) {
		if (!cal_is_weekend(day))
			return mc_fail(e, MCE_CAL_BAD_SCHEDULE,
				       "dòng %d: trạng thái '%s' vào ngày '%s', không phải ngày cuối tuần",
				       "line %d: status '%s' on '%s', not a weekend", r->line, status,
				       date);
	} else if (cal_is_weekend(day)) {
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: trạng thái '%s' vào ngày '%s' là ngày cuối tuần",
			       "line %d: status '%s' on '%s', a weekend", r->line, status, date);
	}
	if (strcmp(civil, "0") != 0 && strcmp(civil, "1") != 0)
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: civil_servant_working_day '%s' phải là 0 hoặc 1",
			       "line %d: civil_servant_working_day '%s' is not 0 or 1", r->line,
			       civil);
	working = kind == CAL_WORKDAY || kind == CAL_MAKEUP_WORKDAY;
	if ((civil[0] == '1') != working)
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE,
			       "dòng %d: civil_servant_working_day '%s' mâu thuẫn với trạng thái '%s'",
			       "line %d: civil_servant_working_day '%s' contradicts status '%s'",
			       r->line, civil, status);
	row->day = day;
	row->kind = kind;
	row->line = r->line;
	row->occasion = *rec_field(r, 4) ? mc_xstrdup(rec_field(r, 4)) : NULL;
	row->source = *rec_field(r, 5) ? mc_xstrdup(rec_field(r, 5)) : NULL;
	return MC_OK;
}

static int cmp_row(const void *a, const void *b)
{
	const csv_row *x = a, *y = b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->line > y->line) - (x->line < y->line);
}

static void rows_free(csv_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].occasion);
		free(rows[i].source);
	}
	free(rows);
}

static int check_header(const csv_record *r, mc_err *e)
{
	int ok = r->nf == 6;
	for (int i = 0; ok && i < 6; i++)
		ok = strcmp(rec_field(r, i), csv_header[i]) == 0;
	if (!ok)
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE,
			       "dòng %d: dòng tiêu đề phải là "
			       "'date,weekday,status,civil_servant_working_day,occasion,source'",
			       "line %d: header must be "
			       "'date,weekday,status,civil_servant_working_day,occasion,source'",
			       r->line);
	return MC_OK;
}

int cal_sched_add_csv(cal_sched *s, const char *text, size_t len, int *years, int max_years,
		      int *n_years, mc_err *e)
{
	csv_reader rd = { text, text + len, 1 };
	csv_record rec = { 0 };
	csv_row *rows = NULL;
	size_t n = 0, cap = 0;
	unsigned char named[CAL_MAX_YEAR - CAL_MIN_YEAR + 1] = { 0 };
	int rc = MC_OK, got, seen_header = 0, ny = 0;

	if (n_years)
		*n_years = 0;
	if (memchr(text, '\0', len))
		return mc_fail(e, MCE_CAL_BAD_SCHEDULE, "tệp lịch có byte NUL", "schedule contains a nul byte");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		rd.p += 3;
	while ((got = csv_read(&rd, &rec, e)) == 1) {
		if (rec.nf == 1 && rec.buf[0] == '\0')
			continue; /* blank line */
		if (!seen_header) {
			rc = check_header(&rec, e);
			if (rc)
				goto out;
			seen_header = 1;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 128;
			rows = mc_xrealloc(rows, cap * sizeof rows[0]);
		}
		rc = check_row(&rec, &rows[n], e);
		if (rc)
			goto out;
		n++;
	}
	if (got < 0) {
		rc = MC_EINVAL;
		goto out;
	}
	if (!seen_header) {
		rc = mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng 1: tệp lịch trống, không có dòng tiêu đề",
			     "line 1: empty schedule, no header");
		goto out;
	}
	if (n)
		qsort(rows, n, sizeof rows[0], cmp_row);
	for (size_t i = 1; i < n; i++) {
		if (rows[i].day == rows[i - 1].day) {
			char buf[11];
			cal_format_date(rows[i].day, buf);
			rc = mc_fail(e, MCE_CAL_BAD_SCHEDULE, "dòng %d: ngày '%s' bị lặp lại",
				     "line %d: duplicate date '%s'", rows[i].line, buf);
			goto out;
		}
	}

	/* Valid: replace the years the file speaks about. */
	for (size_t i = 0; i < n; i++)
		if (rows[i].kind != CAL_WEEKEND)
			named[cal_year_of(rows[i].day) - CAL_MIN_YEAR] = 1;
	for (int y = CAL_MIN_YEAR; y <= CAL_MAX_YEAR; y++) {
		if (!named[y - CAL_MIN_YEAR])
			continue;
		cal_sched_clear_year(s, y);
		if (years && ny < max_years)
			years[ny++] = y;
	}
	for (size_t i = 0; i < n; i++) {
		if (rows[i].kind == CAL_WEEKEND)
			continue; /* carries no information */
		cal_sched_add_owned(s, rows[i].day, rows[i].kind, rows[i].occasion, rows[i].source);
		rows[i].occasion = rows[i].source = NULL;
	}
	if (n_years)
		*n_years = ny;
out:
	rows_free(rows, n);
	free(rec.buf);
	return rc;
}
