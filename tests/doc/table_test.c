/*
 * table_test.c - report tables (src/doc/table.h): the validation (one
 * invalid table a case), the CSV byte for byte, and the .xlsx read back
 * with a real reader: tests/tools/xlsx_read.py (openpyxl, under
 * /usr/bin/python3) prints the workbook as JSON, values cached and
 * formulas apart, and this checks the II.06a-like header's merged cells,
 * the texts with their diacritics, every data cell, the total's SUM
 * formulas and their stored values, the page set-up, the sheet names and a
 * two-sheet workbook. Without openpyxl the test fails: scripts/deps
 * installs python3-openpyxl.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc/table.h"
#include "sb.h"
#include "t.h"

extern char **environ;

static json_t *js(const char *s)
{
	json_error_t je;
	json_t *j = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j) {
		fprintf(stderr, "bad test JSON: %s: %s\n", je.text, s);
		abort();
	}
	return j;
}

/* ---- validation ---- */

#define HEAD2 "\"head\":[[{\"text\":\"a\"},{\"text\":\"b\"}]]"
#define COLS2 "\"columns\":[{\"type\":\"text\"},{\"type\":\"int\"}]"

static void validation(void)
{
	static const struct {
		const char *name, *json, *msg; /* msg: part of the English message */
	} cases[] = {
		{ "array", "[]", "must be a JSON object" },
		{ "string", "\"x\"", "must be a JSON object" },
		{ "null", "null", "must be a JSON object" },
		{ "unknown key", "{\"titel\":\"x\"," COLS2 "," HEAD2 ",\"rows\":[]}",
		  "unknown field 'titel'" },
		{ "no columns", "{" HEAD2 ",\"rows\":[]}", "columns must be an array" },
		{ "empty columns", "{\"columns\":[]," HEAD2 ",\"rows\":[]}",
		  "columns must be an array" },
		{ "column not object", "{\"columns\":[1,{}]," HEAD2 ",\"rows\":[]}",
		  "columns[0] must be an object" },
		{ "column type", "{\"columns\":[{\"type\":\"date\"},{}]," HEAD2 ",\"rows\":[]}",
		  "columns[0]: type must be" },
		{ "column width 0", "{\"columns\":[{},{\"width\":0}]," HEAD2 ",\"rows\":[]}",
		  "columns[1]: width must be" },
		{ "no head", "{" COLS2 ",\"rows\":[]}", "head must be an array" },
		{ "empty head", "{" COLS2 ",\"head\":[],\"rows\":[]}", "head must be an array" },
		{ "head row not array", "{" COLS2 ",\"head\":[{}],\"rows\":[]}",
		  "head row 1 must be an array" },
		{ "head too wide",
		  "{" COLS2 ",\"head\":[[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\"}]],"
		  "\"rows\":[]}",
		  "head row 1 is wider than the 2 columns" },
		{ "head colspan too wide",
		  "{" COLS2 ",\"head\":[[{\"text\":\"a\"},{\"text\":\"b\",\"cols\":2}]],\"rows\":[]}",
		  "head row 1 is wider" },
		{ "head too narrow", "{" COLS2 ",\"head\":[[{\"text\":\"a\"}]],\"rows\":[]}",
		  "head row 1 covers 1 of the 2 columns" },
		{ "second head row too narrow",
		  "{" COLS2 ",\"head\":[[{\"text\":\"a\",\"cols\":2}],[{\"text\":\"b\"}]],"
		  "\"rows\":[]}",
		  "head row 2 covers 1 of the 2 columns" },
		{ "rowspan overlap",
		  "{\"columns\":[{},{},{}],\"head\":[[{\"text\":\"a\"},{\"text\":\"b\",\"rows\":2},"
		  "{\"text\":\"c\"}],[{\"text\":\"d\",\"cols\":2},{\"text\":\"e\"}]],\"rows\":[]}",
		  "head row 2: cell 1 overlaps" },
		{ "rowspan below head",
		  "{" COLS2 ",\"head\":[[{\"text\":\"a\",\"rows\":2},{\"text\":\"b\"}]],"
		  "\"rows\":[]}",
		  "cell 1 spans below the head" },
		{ "cell not object", "{" COLS2 ",\"head\":[[\"a\",{\"text\":\"b\"}]],\"rows\":[]}",
		  "head[0][0] must be an object" },
		{ "cell without text", "{" COLS2 ",\"head\":[[{},{\"text\":\"b\"}]],\"rows\":[]}",
		  "text must be a string" },
		{ "cell cols 0",
		  "{" COLS2 ",\"head\":[[{\"text\":\"a\",\"cols\":0},{\"text\":\"b\"}]],"
		  "\"rows\":[]}",
		  "head[0][0]: 'cols' must be 1 to" },
		{ "cell unknown key",
		  "{" COLS2 ",\"head\":[[{\"text\":\"a\",\"colspan\":2}]],\"rows\":[]}",
		  "head[0][0]: unknown field 'colspan'" },
		{ "no rows", "{" COLS2 "," HEAD2 "}", "rows must be an array" },
		{ "row too short", "{" COLS2 "," HEAD2 ",\"rows\":[[\"x\",1],[\"y\"]]}",
		  "row 2 must be an array of 2 values" },
		{ "row too long", "{" COLS2 "," HEAD2 ",\"rows\":[[\"x\",1,2]]}",
		  "row 1 must be an array of 2 values" },
		{ "row not array", "{" COLS2 "," HEAD2 ",\"rows\":[{}]}",
		  "row 1 must be an array" },
		{ "string in int column", "{" COLS2 "," HEAD2 ",\"rows\":[[\"x\",1],[\"y\",\"2\"]]}",
		  "row 2, column 2: text in a numeric column" },
		{ "string in percent column",
		  "{\"columns\":[{\"type\":\"percent\"}],\"head\":[[{\"text\":\"a\"}]],"
		  "\"rows\":[[\"50%\"]]}",
		  "row 1, column 1: text in a numeric column" },
		{ "real in int column", "{" COLS2 "," HEAD2 ",\"rows\":[[\"x\",1.5]]}",
		  "row 1, column 2: 1.5 is not an integer" },
		{ "boolean value", "{" COLS2 "," HEAD2 ",\"rows\":[[true,1]]}",
		  "row 1, column 1: a value must be" },
		{ "text with NUL", "{" COLS2 "," HEAD2 ",\"rows\":[[\"a\\u0000b\",1]]}",
		  "contains a NUL" },
		{ "title not string", "{\"title\":1," COLS2 "," HEAD2 ",\"rows\":[]}",
		  "title must be a string" },
		{ "subtitle not array", "{\"subtitle\":\"x\"," COLS2 "," HEAD2 ",\"rows\":[]}",
		  "subtitle must be an array" },
		{ "note not string", "{\"notes\":[1]," COLS2 "," HEAD2 ",\"rows\":[]}",
		  "notes must be a string" },
		{ "numbered not boolean", "{\"numbered\":1," COLS2 "," HEAD2 ",\"rows\":[]}",
		  "numbered must be true or false" },
		{ "total sums a text column",
		  "{" COLS2 "," HEAD2 ",\"rows\":[],\"total\":{\"label_col\":1,\"sum\":[0]}}",
		  "total: column 0 is not an int or number column" },
		{ "total sums its label column",
		  "{" COLS2 "," HEAD2 ",\"rows\":[],\"total\":{\"label_col\":1,\"sum\":[1]}}",
		  "total: column 1 is repeated or the label's" },
		{ "total sum out of range",
		  "{" COLS2 "," HEAD2 ",\"rows\":[],\"total\":{\"sum\":[2]}}",
		  "total: sum[0] is not a column index (0 to 1)" },
		{ "total label column out of range",
		  "{" COLS2 "," HEAD2 ",\"rows\":[],\"total\":{\"label_col\":2}}",
		  "total: 'label_col' must be 0 to 1" },
		{ "total sums a percent column",
		  "{\"columns\":[{},{\"type\":\"percent\"}]," HEAD2
		  ",\"rows\":[],\"total\":{\"sum\":[1]}}",
		  "total: column 1 is not an int or number column" },
		{ "total unknown key",
		  "{" COLS2 "," HEAD2 ",\"rows\":[],\"total\":{\"sums\":[1]}}",
		  "total: unknown field 'sums'" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].name);
		json_t *j = js(cases[i].json);
		mc_err e = { 0 };
		CHECK_INT(doc_table_check(j, &e), MC_EINVAL);
		CHECK_INT(e.id, MCE_INVALID);
		if (!strstr(e.msg, cases[i].msg))
			fprintf(stderr, "  message: %s\n", e.msg);
		CHECK(strstr(e.msg, cases[i].msg) != NULL);
		CHECK(e.vi[0] != 0);
		char *csv = (char *)"x";
		size_t n = 1;
		CHECK_INT(doc_table_csv(j, &csv, &n, &e), MC_EINVAL);
		CHECK(csv == NULL && n == 0);
		unsigned char *x = (unsigned char *)"x";
		n = 1;
		CHECK_INT(doc_table_xlsx(j, &x, &n, &e), MC_EINVAL);
		CHECK(x == NULL && n == 0);
		json_decref(j);
	}
}

/* ---- CSV ---- */

#define BOM "\xEF\xBB\xBF"

static void csv(void)
{
	static const struct {
		const char *name, *json, *want;
	} cases[] = {
		{ "quoting",
		  "{\"columns\":[{\"type\":\"text\"},{\"type\":\"int\"}],"
		  "\"head\":[[{\"text\":\"Tên, họ\"},{\"text\":\"Số \\\"hồ sơ\\\"\"}]],"
		  "\"rows\":[[\"a,b\",1],[\"say \\\"hi\\\"\",-2],[\"line\\nbreak\",null],"
		  "[null,0],[\"Nguyễn Văn Ấn\",1234567]]}",
		  BOM "\"Tên, họ\",\"Số \"\"hồ sơ\"\"\"\r\n"
		      "\"a,b\",1\r\n"
		      "\"say \"\"hi\"\"\",-2\r\n"
		      "\"line\nbreak\",\r\n"
		      ",0\r\n"
		      "Nguyễn Văn Ấn,1234567\r\n" },
		{ "formula injection",
		  "{\"columns\":[{}],\"head\":[[{\"text\":\"Giá trị\"}]],"
		  "\"rows\":[[\"=1+2\"],[\"+1\"],[\"-1\"],[\"@SUM(A1)\"],[\"\\tx\"],[\"\\rx\"],"
		  "[\"=HYPERLINK(\\\"http://x\\\",\\\"a\\\")\"],[\"ok=1\"],[-5],[1.5],[\"\"]]}",
		  BOM "Giá trị\r\n"
		      "'=1+2\r\n"
		      "'+1\r\n"
		      "'-1\r\n"
		      "'@SUM(A1)\r\n"
		      "'\tx\r\n"
		      "\"'\rx\"\r\n"
		      "\"'=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\"\r\n"
		      "ok=1\r\n"
		      "-5\r\n"
		      "1.5\r\n"
		      "\r\n" },
		{ "header join",
		  "{\"columns\":[{\"type\":\"int\"},{},{\"type\":\"int\"},{\"type\":\"int\"},"
		  "{\"type\":\"int\"}],"
		  "\"head\":[[{\"text\":\"STT\",\"rows\":3},{\"text\":\"Lĩnh vực\",\"rows\":3},"
		  "{\"text\":\"Số hồ sơ nhận giải quyết\",\"cols\":3}],"
		  "[{\"text\":\"Tổng số\",\"rows\":2},{\"text\":\"Số mới tiếp nhận\",\"cols\":2}],"
		  "[{\"text\":\"Trực tuyến\"},{\"text\":\"Trực tiếp, bưu chính\"}]],"
		  "\"numbered\":true,\"title\":\"T\",\"notes\":[\"n\"],"
		  "\"rows\":[[1,\"Hộ tịch\",3,2,1]]}",
		  BOM "STT,Lĩnh vực,Số hồ sơ nhận giải quyết - Tổng số,"
		      "Số hồ sơ nhận giải quyết - Số mới tiếp nhận - Trực tuyến,"
		      "\"Số hồ sơ nhận giải quyết - Số mới tiếp nhận - Trực tiếp, bưu chính\"\r\n"
		      "1,Hộ tịch,3,2,1\r\n" },
		{ "header repeats and blanks",
		  "{\"columns\":[{},{}],"
		  "\"head\":[[{\"text\":\"Tổng số\"},{\"text\":\"\"}],"
		  "[{\"text\":\"Tổng số\"},{\"text\":\"- Trong đó\"}]],\"rows\":[]}",
		  BOM "Tổng số,'- Trong đó\r\n" },
		{ "numbers and total",
		  "{\"columns\":[{},{\"type\":\"int\"},{\"type\":\"number\"},{\"type\":\"percent\"}],"
		  "\"head\":[[{\"text\":\"A\"},{\"text\":\"B\"},{\"text\":\"C\"},{\"text\":\"D\"}]],"
		  "\"rows\":[[\"x\",1,1.23456,0.5],[\"y\",2,2.5,0.125],[\"z\",null,3.0,-0.00001],"
		  "[\"w\",-4,1e-5,1]],"
		  "\"total\":{\"sum\":[1,2]}}",
		  BOM "A,B,C,D\r\n"
		      "x,1,1.2346,0.5\r\n"
		      "y,2,2.5,0.125\r\n"
		      "z,,3,0\r\n"
		      "w,-4,0,1\r\n"
		      "Tổng cộng,-1,6.7346,\r\n" },
		{ "total label elsewhere",
		  "{\"columns\":[{\"type\":\"int\"},{},{\"type\":\"number\"}],"
		  "\"head\":[[{\"text\":\"STT\"},{\"text\":\"Tên\"},{\"text\":\"Điểm\"}]],"
		  "\"rows\":[[1,\"a\",2],[2,\"b\",0.5]],"
		  "\"total\":{\"label\":\"=Cộng\",\"label_col\":1,\"sum\":[2]}}",
		  BOM "STT,Tên,Điểm\r\n"
		      "1,a,2\r\n"
		      "2,b,0.5\r\n"
		      ",'=Cộng,2.5\r\n" },
		{ "total of no rows",
		  "{\"columns\":[{},{\"type\":\"int\"}]," HEAD2
		  ",\"rows\":[],\"total\":{\"sum\":[1]}}",
		  BOM "a,b\r\n"
		      "Tổng cộng,0\r\n" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].name);
		json_t *j = js(cases[i].json);
		mc_err e = { 0 };
		char *out = NULL;
		size_t n = 0;
		int rc = doc_table_csv(j, &out, &n, &e);
		CHECK_INT(rc, MC_OK);
		if (rc)
			fprintf(stderr, "  %s\n", e.msg);
		CHECK_INT(n, strlen(cases[i].want));
		CHECK_STR(out, cases[i].want);
		CHECK(out == NULL || strlen(out) == n);
		free(out);
		json_decref(j);
	}

	T_CASE("csv total overflows");
	json_t *j = js("{\"columns\":[{\"type\":\"int\"}],\"head\":[[{\"text\":\"a\"}]],"
		       "\"rows\":[[9223372036854775807],[1]],\"total\":{\"label_col\":0}}");
	char *out = NULL;
	size_t n = 0;
	mc_err e = { 0 };
	CHECK_INT(doc_table_csv(j, &out, &n, &e), MC_OK); /* nothing summed */
	free(out);
	json_decref(j);
	j = js("{\"columns\":[{},{\"type\":\"int\"}]," HEAD2
	       ",\"rows\":[[\"x\",9223372036854775807],[\"y\",1]],\"total\":{\"sum\":[1]}}");
	out = NULL;
	CHECK_INT(doc_table_csv(j, &out, &n, &e), MC_EINVAL);
	CHECK(strstr(e.msg, "too large") != NULL);
	CHECK(out == NULL);
	json_decref(j);
}

/* ---- XLSX read back ---- */

/* Runs the reader over bytes written to a temporary file. OUT: the
 * workbook as tests/tools/xlsx_read.py prints it, or NULL (a FAIL). */
static json_t *read_xlsx(const unsigned char *x, size_t n)
{
	const char *td = getenv("TMPDIR"), *root = getenv("MOTCUA_ROOT");
	char path[4096], script[4096];
	/* openpyxl goes by the name's extension */
	snprintf(path, sizeof path, "%s/table_test-XXXXXX.xlsx", td && td[0] ? td : "/tmp");
	snprintf(script, sizeof script, "%s/tests/tools/xlsx_read.py", root ? root : ".");
	int fd = mkstemps(path, 5);
	if (fd < 0 || write(fd, x, n) != (ssize_t)n) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		CHECK(!"temporary file written");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	int pfd[2];
	if (pipe(pfd) != 0)
		abort();
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	char *argv[] = { (char *)"/usr/bin/python3", script, path, NULL };
	pid_t pid;
	int src = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	sb s;
	sb_init(&s, 64 << 20);
	char buf[4096];
	ssize_t k;
	while (src == 0 && (k = read(pfd[0], buf, sizeof buf)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		sb_addn(&s, buf, (size_t)k);
	}
	close(pfd[0]);
	int status = -1;
	if (src == 0)
		waitpid(pid, &status, 0);
	unlink(path);
	json_t *j = NULL;
	if (src != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		int code = src == 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		fprintf(stderr, "FAIL: /usr/bin/python3 %s did not read the workbook (%s)\n", script,
			src ? strerror(src)
			: code == 2 ? "openpyxl is missing: scripts/deps installs python3-openpyxl"
				    : "see its message above");
	} else {
		j = json_loads(sb_str(&s), 0, NULL);
	}
	CHECK(j != NULL);
	sb_release(&s);
	return j;
}

/* Writes tables as xlsx and reads them back. */
static json_t *roundtrip(const char *json)
{
	json_t *j = js(json);
	unsigned char *x = NULL;
	size_t n = 0;
	mc_err e = { 0 };
	int rc = doc_table_xlsx(j, &x, &n, &e);
	json_decref(j);
	CHECK_INT(rc, MC_OK);
	if (rc) {
		fprintf(stderr, "  %s\n", e.msg);
		return NULL;
	}
	CHECK(n > 4 && memcmp(x, "PK\3\4", 4) == 0); /* a zip */
	json_t *book = read_xlsx(x, n);
	free(x);
	return book;
}

static const json_t *sheet(const json_t *book, size_t i)
{
	return json_array_get(json_object_get(book, "sheets"), i);
}

static const char *cell_str(const json_t *sh, const char *ref)
{
	return json_string_value(json_object_get(json_object_get(sh, "cells"), ref));
}

static const json_t *style(const json_t *sh, const char *ref)
{
	return json_object_get(json_object_get(sh, "styles"), ref);
}

static int style_is(const json_t *sh, const char *ref, const char *key)
{
	return json_is_true(json_object_get(style(sh, ref), key));
}

static void ref(size_t row, size_t col, char *buf, size_t size)
{
	/* at most 26 columns here */
	snprintf(buf, size, "%c%zu", (char)('A' + col), row);
}

#define II06A_HEAD                                                                            \
	"\"head\":[[{\"text\":\"STT\",\"rows\":3},{\"text\":\"Lĩnh vực giải quyết\",\"rows\":3},"   \
	"{\"text\":\"Số hồ sơ nhận giải quyết\",\"cols\":4},{\"text\":\"Kết quả giải quyết\","     \
	"\"cols\":6},{\"text\":\"Tỷ lệ đúng hạn\",\"rows\":3}],"                                   \
	"[{\"text\":\"Tổng số\",\"rows\":2},{\"text\":\"Số kỳ trước chuyển qua\",\"rows\":2},"     \
	"{\"text\":\"Số mới tiếp nhận\",\"cols\":2},{\"text\":\"Số hồ sơ đã giải quyết\","         \
	"\"cols\":3},{\"text\":\"Số hồ sơ đang giải quyết\",\"cols\":3}],"                          \
	"[{\"text\":\"Trực tuyến\"},{\"text\":\"Trực tiếp, dịch vụ bưu chính\"},"                  \
	"{\"text\":\"Tổng số\"},{\"text\":\"Trả đúng thời hạn\"},{\"text\":\"Trả quá hạn\"},"     \
	"{\"text\":\"Tổng số\"},{\"text\":\"Chưa đến hạn\"},{\"text\":\"Quá hạn\"}]]"

#define II06A_ROWS                                                                            \
	"[[1,\"Hộ tịch\",120,5,80,35,110,100,10,10,8,2,0.9091],"                                    \
	"[2,\"Chứng thực\",300,0,250,50,300,300,0,0,0,0,1],"                                        \
	"[3,\"Đất đai, \\\"nhà ở\\\"\",15,3,2,10,9,6,3,6,4,2,0.6667],"                              \
	"[4,42,0,0,0,0,0,0,0,0,0,0,null]]"

static const char ii06a[] =
	"{\"sheet\":\"II.06a\",\"form\":\"Biểu số II.06a/VPCP/KSTT\","
	"\"title\":\"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC "
	"TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\","
	"\"subtitle\":[\"Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026\","
	"\"Đơn vị báo cáo: Xã Kim Bôi\"],"
	"\"numbered\":true,"
	"\"columns\":[{\"type\":\"int\",\"width\":6},{\"type\":\"text\"},{\"type\":\"int\"},"
	"{\"type\":\"int\"},{\"type\":\"int\"},{\"type\":\"int\"},{\"type\":\"int\"},"
	"{\"type\":\"int\"},{\"type\":\"int\"},{\"type\":\"int\"},{\"type\":\"int\"},"
	"{\"type\":\"int\"},{\"type\":\"percent\",\"width\":12.5}]," II06A_HEAD ","
	"\"rows\":" II06A_ROWS ","
	"\"total\":{\"label\":\"Tổng cộng\",\"label_col\":1,\"sum\":[2,3,4,5,6,7,8,9,10,11]},"
	"\"notes\":[\"Ghi chú: số liệu lấy từ sổ theo dõi hồ sơ.\"]}";

static void ii06a_merged(const json_t *sh)
{
	static const char *const want[] = {
		"A2:M2", "A3:M3", "A4:M4", "A6:A8", "B6:B8", "C6:F6", "G6:L6",
		"M6:M8", "C7:C8", "D7:D8", "E7:F7", "G7:I7", "J7:L7", "A16:M16",
	};
	const json_t *m = json_object_get(sh, "merged");
	T_CASE("II.06a merged cells");
	CHECK_INT(json_array_size(m), MC_ARRAY_LEN(want));
	for (size_t i = 0; i < MC_ARRAY_LEN(want); i++) {
		int found = 0;
		for (size_t k = 0; k < json_array_size(m); k++)
			found |= strcmp(json_string_value(json_array_get(m, k)), want[i]) == 0;
		if (!found)
			fprintf(stderr, "  missing merge %s\n", want[i]);
		CHECK(found);
	}
}

static void ii06a_texts(const json_t *sh)
{
	static const struct {
		const char *ref, *text;
	} want[] = {
		{ "M1", "Biểu số II.06a/VPCP/KSTT" },
		{ "A2", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC "
			"TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" },
		{ "A3", "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026" },
		{ "A4", "Đơn vị báo cáo: Xã Kim Bôi" },
		{ "A6", "STT" },
		{ "B6", "Lĩnh vực giải quyết" },
		{ "C6", "Số hồ sơ nhận giải quyết" },
		{ "G6", "Kết quả giải quyết" },
		{ "M6", "Tỷ lệ đúng hạn" },
		{ "C7", "Tổng số" },
		{ "D7", "Số kỳ trước chuyển qua" },
		{ "E7", "Số mới tiếp nhận" },
		{ "G7", "Số hồ sơ đã giải quyết" },
		{ "J7", "Số hồ sơ đang giải quyết" },
		{ "E8", "Trực tuyến" },
		{ "F8", "Trực tiếp, dịch vụ bưu chính" },
		{ "G8", "Tổng số" },
		{ "H8", "Trả đúng thời hạn" },
		{ "I8", "Trả quá hạn" },
		{ "J8", "Tổng số" },
		{ "K8", "Chưa đến hạn" },
		{ "L8", "Quá hạn" },
		{ "A9", "(1)" },
		{ "B9", "(2)" },
		{ "M9", "(13)" },
		{ "B14", "Tổng cộng" },
		{ "A16", "Ghi chú: số liệu lấy từ sổ theo dõi hồ sơ." },
	};
	T_CASE("II.06a texts");
	for (size_t i = 0; i < MC_ARRAY_LEN(want); i++)
		CHECK_STR(cell_str(sh, want[i].ref), want[i].text);
	for (size_t c = 0; c < 13; c++) {
		char r[16], n[16];
		ref(9, c, r, sizeof r);
		snprintf(n, sizeof n, "(%zu)", c + 1);
		CHECK_STR(cell_str(sh, r), n);
	}
	/* Nothing else but the numbered row (3 of it above), the data (one
	 * null) and the total's sums. */
	const json_t *cells = json_object_get(sh, "cells");
	CHECK_INT(json_object_size(cells), MC_ARRAY_LEN(want) + 10 + 13 * 4 - 1 + 10);
}

/* Every data cell is the input value, numbers as numbers. */
static void check_data(const json_t *sh, const char *rows_json, size_t first)
{
	json_t *rows = js(rows_json);
	const json_t *cells = json_object_get(sh, "cells");
	for (size_t i = 0; i < json_array_size(rows); i++) {
		const json_t *row = json_array_get(rows, i);
		for (size_t c = 0; c < json_array_size(row); c++) {
			const json_t *in = json_array_get(row, c);
			char r[16];
			ref(first + i, c, r, sizeof r);
			const json_t *got = json_object_get(cells, r);
			if (json_is_null(in)) {
				CHECK(got == NULL);
			} else if (json_is_integer(in) && c == 1 && first == 10) {
				CHECK(json_is_string(got)); /* a number in a text column */
				CHECK_STR(json_string_value(got), "42");
			} else if (json_is_integer(in)) {
				CHECK(json_is_integer(got));
				CHECK_INT(json_integer_value(got), json_integer_value(in));
			} else if (json_is_real(in) && json_is_number(got)) {
				CHECK(fabs(json_number_value(got) - json_real_value(in)) < 1e-12);
			} else {
				CHECK(json_equal(got, in));
			}
		}
	}
	json_decref(rows);
}

static void ii06a_total(const json_t *sh)
{
	static const long long want[] = { 435, 8, 332, 95, 419, 406, 13, 16, 12, 4 };
	const json_t *cells = json_object_get(sh, "cells");
	const json_t *formulas = json_object_get(sh, "formulas");
	T_CASE("II.06a total");
	for (size_t i = 0; i < MC_ARRAY_LEN(want); i++) {
		char r[16], f[64];
		ref(14, i + 2, r, sizeof r);
		snprintf(f, sizeof f, "=SUM(%c10:%c13)", (char)('C' + i), (char)('C' + i));
		CHECK_STR(json_string_value(json_object_get(formulas, r)), f);
		CHECK(json_is_integer(json_object_get(cells, r)));
		CHECK_INT(json_integer_value(json_object_get(cells, r)), want[i]);
		CHECK(style_is(sh, r, "bold"));
	}
	CHECK_INT(json_object_size(formulas), MC_ARRAY_LEN(want));
	CHECK(json_object_get(cells, "A14") == NULL);
	CHECK(json_object_get(cells, "M14") == NULL);
	CHECK(style_is(sh, "B14", "bold"));
	CHECK(style_is(sh, "A14", "border")); /* the empty cells keep their borders */
	CHECK(style_is(sh, "M14", "border"));
}

static void ii06a_styles(const json_t *sh)
{
	T_CASE("II.06a styles");
	static const char *const head[] = { "A6", "B7", "C6", "E8", "F7", "L8", "M8" };
	for (size_t i = 0; i < MC_ARRAY_LEN(head); i++) {
		CHECK(style_is(sh, head[i], "bold"));
		CHECK(style_is(sh, head[i], "border"));
		CHECK(style_is(sh, head[i], "wrap"));
		CHECK_STR(json_string_value(json_object_get(style(sh, head[i]), "align")), "center");
		CHECK_STR(json_string_value(json_object_get(style(sh, head[i]), "fill")), "FFD9D9D9");
	}
	CHECK(style_is(sh, "A9", "italic"));
	CHECK(style_is(sh, "M9", "border"));
	CHECK(style_is(sh, "A2", "bold"));
	CHECK_STR(json_string_value(json_object_get(style(sh, "A2"), "align")), "center");
	CHECK_STR(json_string_value(json_object_get(style(sh, "A3"), "align")), "center");
	CHECK_STR(json_string_value(json_object_get(style(sh, "M1"), "align")), "right");
	CHECK(style_is(sh, "B10", "wrap"));
	CHECK(!style_is(sh, "B10", "bold"));
	CHECK(style_is(sh, "M13", "border")); /* null: empty, bordered */
	CHECK_STR(json_string_value(json_object_get(style(sh, "C10"), "format")), "0");
	CHECK_STR(json_string_value(json_object_get(style(sh, "M10"), "format")), "0.0%");
	static const char *const any[] = { "M1", "A2", "A3", "A6", "A9", "B10", "C10", "B14",
					   "A16" };
	for (size_t i = 0; i < MC_ARRAY_LEN(any); i++) {
		CHECK_STR(json_string_value(json_object_get(style(sh, any[i]), "font")),
			  "Times New Roman");
		CHECK(json_number_value(json_object_get(style(sh, any[i]), "size")) == 12);
	}
	for (size_t r = 6; r <= 13; r++)
		for (size_t c = 0; c < 13; c++) {
			char x[16];
			ref(r, c, x, sizeof x);
			if (!style_is(sh, x, "border"))
				fprintf(stderr, "  no border on %s\n", x);
			CHECK(style_is(sh, x, "border"));
		}
}

static void ii06a_page(const json_t *sh)
{
	T_CASE("II.06a page");
	CHECK_STR(json_string_value(json_object_get(sh, "name")), "II.06a");
	CHECK_STR(json_string_value(json_object_get(sh, "freeze")), "A10");
	CHECK_STR(json_string_value(json_object_get(sh, "print_rows")), "$6:$9");
	CHECK_STR(json_string_value(json_object_get(sh, "orientation")), "landscape");
	CHECK_INT(json_integer_value(json_object_get(sh, "paper")), 9);
	CHECK(json_is_true(json_object_get(sh, "fit_to_page")));
	CHECK_INT(json_integer_value(json_object_get(sh, "fit_width")), 1);
	CHECK_INT(json_integer_value(json_object_get(sh, "fit_height")), 0);
	const json_t *w = json_object_get(sh, "widths");
	/* Excel stores a width with its cell padding: about 0.7 more. */
	static const struct {
		const char *col;
		double width;
	} widths[] = { { "A", 6 }, { "B", 30 }, { "C", 10 }, { "L", 10 }, { "M", 12.5 } };
	for (size_t i = 0; i < MC_ARRAY_LEN(widths); i++) {
		double got = json_number_value(json_object_get(w, widths[i].col));
		CHECK(got >= widths[i].width && got < widths[i].width + 1);
	}
	/* The header's rows are tall enough for their wrapped text: "Trực
	 * tiếp, dịch vụ bưu chính" needs 3 lines in 10 characters. */
	const json_t *h = json_object_get(sh, "heights");
	CHECK(json_number_value(json_object_get(h, "8")) >= 3 * 15.75);
	CHECK(json_number_value(json_object_get(h, "6")) >= 15.75);
}

static const char scorecard[] =
	"{\"sheet\":\"Chỉ số 766\","
	"\"columns\":[{\"width\":40},{\"type\":\"number\"},{\"type\":\"number\"}],"
	"\"head\":[[{\"text\":\"Chỉ số\"},{\"text\":\"Điểm tối đa\"},{\"text\":\"Điểm đạt\"}]],"
	"\"rows\":[[\"Công khai, minh bạch\",18,16.5],[\"Tiến độ giải quyết\",20,19.25],"
	"[\"=1+1\",null,0]],"
	"\"total\":{\"sum\":[1,2]}}";

static void two_sheets(void)
{
	char json[sizeof ii06a + sizeof scorecard + 8];
	snprintf(json, sizeof json, "[%s,%s]", ii06a, scorecard);
	T_CASE("two sheets");
	json_t *book = roundtrip(json);
	if (!book)
		return;
	CHECK_INT(json_array_size(json_object_get(book, "sheets")), 2);
	const json_t *a = sheet(book, 0), *b = sheet(book, 1);
	ii06a_merged(a);
	ii06a_texts(a);
	T_CASE("II.06a data");
	check_data(a, II06A_ROWS, 10);
	ii06a_total(a);
	ii06a_styles(a);
	ii06a_page(a);

	T_CASE("scorecard");
	CHECK_STR(json_string_value(json_object_get(b, "name")), "Chỉ số 766");
	CHECK_INT(json_array_size(json_object_get(b, "merged")), 0);
	CHECK_STR(cell_str(b, "A1"), "Chỉ số");
	CHECK_STR(cell_str(b, "C1"), "Điểm đạt");
	check_data(b,
		   "[[\"Công khai, minh bạch\",18,16.5],[\"Tiến độ giải quyết\",20,19.25],"
		   "[\"=1+1\",null,0]]",
		   2);
	CHECK_STR(cell_str(b, "A5"), "Tổng cộng");
	const json_t *f = json_object_get(b, "formulas");
	CHECK_STR(json_string_value(json_object_get(f, "B5")), "=SUM(B2:B4)");
	CHECK_STR(json_string_value(json_object_get(f, "C5")), "=SUM(C2:C4)");
	CHECK_INT(json_object_size(f), 2);
	const json_t *cells = json_object_get(b, "cells");
	CHECK(json_number_value(json_object_get(cells, "B5")) == 38);
	CHECK(json_number_value(json_object_get(cells, "C5")) == 35.75);
	CHECK_STR(json_string_value(json_object_get(b, "freeze")), "A2");
	CHECK_STR(json_string_value(json_object_get(b, "print_rows")), "$1:$1");
	CHECK(style_is(b, "A1", "bold"));
	json_decref(book);
}

/* Sheet names made valid for Excel, and unique. */
static void sheet_names(void)
{
#define T(name) "{" name "\"columns\":[{\"type\":\"int\"}],\"head\":[[{\"text\":\"x\"}]],"  \
		"\"rows\":[],\"total\":{\"label_col\":0}}"
	static const char json[] =
		"[" T("\"sheet\":\"a/b[c]:d*e?f\\\\g\",") "," T("") "," T("") ","
		T("\"sheet\":\"BÁO CÁO\",") "," T("\"sheet\":\"'trích'\",") ","
		T("\"sheet\":\"Tình hình giải quyết thủ tục hành chính\",") ","
		T("\"sheet\":\"Tình hình giải quyết thủ tục hành chính quý\",") ","
		T("\"sheet\":\"history\",") "," T("\"sheet\":\"''\",") "]";
#undef T
	static const char *const want[] = {
		"a-b-c--d-e-f-g",
		"Báo cáo",
		"Báo cáo (2)",
		"BÁO CÁO (3)",
		"trích",
		"Tình hình giải quyết thủ tục hà",
		"Tình hình giải quyết thủ tụ (2)",
		"history (2)",
		"Báo cáo (4)",
	};
	T_CASE("sheet names");
	json_t *book = roundtrip(json);
	if (!book)
		return;
	const json_t *sheets = json_object_get(book, "sheets");
	CHECK_INT(json_array_size(sheets), MC_ARRAY_LEN(want));
	for (size_t i = 0; i < MC_ARRAY_LEN(want) && i < json_array_size(sheets); i++)
		CHECK_STR(json_string_value(json_object_get(json_array_get(sheets, i), "name")),
			  want[i]);
	/* No title: the head starts at row 1; a total over no rows is 0. */
	const json_t *s0 = sheet(book, 0);
	CHECK_STR(cell_str(s0, "A1"), "x");
	CHECK_STR(cell_str(s0, "A2"), "Tổng cộng"); /* the label in the only column */
	CHECK_STR(json_string_value(json_object_get(s0, "freeze")), "A2");
	json_decref(book);

	T_CASE("total of no rows");
	book = roundtrip("{\"columns\":[{},{\"type\":\"int\"}]," HEAD2
			 ",\"rows\":[],\"total\":{\"sum\":[1]}}");
	if (!book)
		return;
	const json_t *s = sheet(book, 0);
	CHECK_STR(json_string_value(json_object_get(s, "name")), "Báo cáo");
	CHECK_STR(cell_str(s, "A2"), "Tổng cộng");
	CHECK(json_is_integer(json_object_get(json_object_get(s, "cells"), "B2")));
	CHECK_INT(json_integer_value(json_object_get(json_object_get(s, "cells"), "B2")), 0);
	CHECK_INT(json_object_size(json_object_get(s, "formulas")), 0);
	json_decref(book);
}

static void xlsx_refusals(void)
{
	static const struct {
		const char *name, *json, *msg;
	} cases[] = {
		{ "no tables", "[]", "1 to 255 tables" },
		{ "second table bad",
		  "[{" COLS2 "," HEAD2 ",\"rows\":[]},{" COLS2 "," HEAD2 ",\"rows\":[[1,\"1\"]]}]",
		  "table 2: row 1, column 2: text in a numeric column" },
		{ "a table not an object", "[{" COLS2 "," HEAD2 ",\"rows\":[]},3]",
		  "table 2: a table must be a JSON object" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].name);
		json_t *j = js(cases[i].json);
		unsigned char *x = NULL;
		size_t n = 0;
		mc_err e = { 0 };
		CHECK_INT(doc_table_xlsx(j, &x, &n, &e), MC_EINVAL);
		if (!strstr(e.msg, cases[i].msg))
			fprintf(stderr, "  message: %s\n", e.msg);
		CHECK(strstr(e.msg, cases[i].msg) != NULL);
		CHECK(x == NULL && n == 0);
		json_decref(j);
	}
}

int main(void)
{
	validation();
	csv();
	xlsx_refusals();
	two_sheets();
	sheet_names();
	return t_done();
}
