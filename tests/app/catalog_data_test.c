/*
 * catalog_data_test.c - the shipped catalog, data/catalog/commune.jsonl: every
 * line is a clean procedure that normalizes to itself, and spot checks of
 * what the converter read from the portal crawl. Runs from the repository
 * root, or from $MOTCUA_ROOT when set.
 */
#include "app/catalog.h"
#include "core/dl.h"
#include "t.h"

#define EXPECTED_LINES 588

static json_t *procs; /* code -> clean object */

static json_t *proc(const char *code)
{
	json_t *p = json_object_get(procs, code);
	if (!p)
		fprintf(stderr, "procedure %s is not in the catalog\n", code);
	return p;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(not a string)";
}

static json_t *channel(const char *code, size_t i)
{
	return json_array_get(json_object_get(proc(code), "channels"), i);
}

static int unparsed_has(const char *code, const char *group)
{
	json_t *u = json_object_get(proc(code), "unparsed");
	for (size_t i = 0; i < json_array_size(u); i++) {
		if (strcmp(json_string_value(json_array_get(u, i)), group) == 0)
			return 1;
	}
	return 0;
}

static void load_all(FILE *f)
{
	char *line = NULL;
	size_t cap = 0, lines = 0, complete_n = 0;
	ssize_t n;
	procs = json_object();
	T_CASE("every line");
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		mc_err e = { 0 };
		int complete = -1;
		json_t *out = NULL;
		lines++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		json_t *in = json_loads(line, 0, &je);
		if (!in) {
			fprintf(stderr, "line %zu: %s\n", lines, je.text);
			CHECK(in != NULL);
			continue;
		}
		int rc = catalog_normalize(in, &out, &complete, &e);
		if (rc) {
			fprintf(stderr, "line %zu: %s\n", lines, e.msg);
			CHECK_INT(rc, MC_OK);
			json_decref(in);
			continue;
		}
		/* clean -> clean gives the line back byte for byte */
		char *again = json_dumps(out, JSON_COMPACT);
		if (strcmp(again, line) != 0) {
			fprintf(stderr, "line %zu (%s) changes when normalized\n", lines, str(in, "code"));
			CHECK(0);
		}
		free(again);
		if (complete != (json_array_size(json_object_get(in, "unparsed")) == 0))
			CHECK(0);
		complete_n += complete == 1;
		if (json_object_get(procs, str(in, "code"))) {
			fprintf(stderr, "line %zu: code %s twice\n", lines, str(in, "code"));
			CHECK(0);
		}
		json_object_set_new(procs, str(in, "code"), in);
		json_decref(out);
	}
	free(line);
	T_CASE("counts");
	CHECK_INT(lines, EXPECTED_LINES);
	CHECK_INT(json_object_size(procs), EXPECTED_LINES);
	/* 392 when converted; a better parser may only raise it */
	CHECK(complete_n >= 392);
}

static void check_time(const char *code, const char *ch, double amount, int unit)
{
	double a = -1;
	int u = -1;
	mc_err e = { 0 };
	json_t *p = proc(code);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_INT(catalog_channel_time(p, ch, &a, &u, &e), MC_OK);
	CHECK(a == amount);
	CHECK_INT(u, unit);
}

static void spot_checks(void)
{
	json_t *p, *c, *r;
	mc_err e = { 0 };
	double a;
	int u;

	T_CASE("1.000253 temporary residence of foreigners");
	c = channel("1.000253", 0);
	CHECK_STR(str(c, "channel"), "direct");
	CHECK_INT(json_integer_value(json_object_get(c, "time")), 7);
	CHECK_STR(str(c, "unit"), "calendar_days");
	r = json_object_get(proc("1.000253"), "result");
	CHECK_STR(str(r, "code"), "KQ.G01.00263");
	check_time("1.000253", "direct", 7, DL_CALENDAR_DAYS);
	check_time("1.000253", "online", 7, DL_CALENDAR_DAYS); /* falls back to direct */

	T_CASE("1.001193 birth registration");
	p = proc("1.001193");
	CHECK_STR(str(p, "name"), "Thủ tục đăng ký khai sinh");
	CHECK_STR(str(p, "field"), "Hộ tịch");
	/* the portal gives "1" without a unit: kept, flagged, no deadline */
	c = channel("1.001193", 2);
	CHECK_STR(str(c, "channel"), "direct");
	CHECK_INT(json_integer_value(json_object_get(c, "time")), 1);
	CHECK(json_is_null(json_object_get(c, "unit")));
	CHECK(unparsed_has("1.001193", "channels"));
	CHECK_INT(catalog_channel_time(p, "direct", &a, &u, &e), MC_ENOTFOUND);
	json_t *comp = json_array_get(json_object_get(p, "components"), 4);
	CHECK_STR(str(comp, "group"), "* Giấy tờ phải nộp:");
	CHECK(strncmp(str(comp, "name"), "Giấy chứng sinh;", strlen("Giấy chứng sinh;")) == 0);
	CHECK_STR(str(comp, "quantity"), "1 bản chính");
	CHECK_STR(str(json_object_get(p, "result"), "code"), "KQ.G15.000031");

	T_CASE("1.009444 fee");
	c = channel("1.009444", 0);
	CHECK_STR(str(c, "fee"), "100,000 VNĐ");
	CHECK_STR(str(c, "fee_note"), "Phí Thẩm tra, thẩm định");
	check_time("1.009444", "postal", 5, DL_WORKING_DAYS);
	CHECK_STR(str(json_object_get(proc("1.009444"), "result"), "code"), "000.00.00.G04-KQ3194");

	T_CASE("1.013653 working days");
	check_time("1.013653", "online", 1, DL_WORKING_DAYS);
	CHECK_INT(json_array_size(json_object_get(proc("1.013653"), "results")), 3);

	T_CASE("1.009060 hours");
	check_time("1.009060", "online", 1, DL_WORKING_HOURS);
	CHECK_STR(str(channel("1.009060", 0), "time_text"), "1 Giờ");

	T_CASE("1.008312 no time limit");
	c = channel("1.008312", 0);
	CHECK(json_is_null(json_object_get(c, "time")));
	CHECK_STR(str(c, "time_text"), "Không quy định");
	CHECK(!unparsed_has("1.008312", "channels"));
	CHECK_INT(catalog_channel_time(proc("1.008312"), "online", &a, &u, &e), MC_ENOTFOUND);

	T_CASE("2.000927 no information");
	c = channel("2.000927", 0);
	CHECK_STR(str(c, "time_text"), "Không có thông tin");
	CHECK_STR(str(c, "fee"), "25,000 Việt Nam Đồng");
	CHECK(unparsed_has("2.000927", "channels"));

	T_CASE("1.012533 two cases of one channel");
	CHECK_INT(json_integer_value(json_object_get(channel("1.012533", 1), "time")), 3);
	check_time("1.012533", "direct", 15, DL_WORKING_DAYS); /* the first case */

	T_CASE("1.000014 time glued to fee");
	c = channel("1.000014", 0);
	CHECK_INT(json_integer_value(json_object_get(c, "time")), 1);
	CHECK_STR(str(c, "fee"), "20 VNĐ");

	T_CASE("1.001521 repaired from raw_text");
	p = proc("1.001521");
	CHECK(strstr(str(p, "steps"), "(Thành phần hồ sơ); nộp hồ sơ cho cơ quan BHXH") != NULL);
	CHECK_INT(json_array_size(json_object_get(p, "components")), 8);
	CHECK_INT(json_array_size(json_object_get(p, "unparsed")), 0);
	CHECK_INT(json_array_size(json_object_get(p, "results")), 5);

	T_CASE("6.006597 and 2.001201 keep raw text");
	CHECK(unparsed_has("6.006597", "components"));
	CHECK(json_object_get(json_object_get(proc("6.006597"), "raw"), "components") != NULL);
	CHECK(unparsed_has("2.001201", "result"));
	CHECK(json_is_null(json_object_get(proc("2.001201"), "result")));
}

int main(void)
{
	const char *root = getenv("MOTCUA_ROOT");
	char path[4096];
	snprintf(path, sizeof path, "%s%sdata/catalog/commune.jsonl", root ? root : "",
		 root ? "/" : "");
	FILE *f = fopen(path, "r");
	T_CASE(path);
	CHECK(f != NULL);
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the repository root or set MOTCUA_ROOT)\n",
			path);
		return t_done();
	}
	load_all(f);
	fclose(f);
	if (json_object_size(procs) > 0)
		spot_checks();
	json_decref(procs);
	return t_done();
}
