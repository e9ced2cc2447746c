/*
 * sb_test.c - the string builder: its maximum length, its sticky error and
 * its NUL-terminated text.
 */
#include "sb.h"
#include "t.h"

/* Each case: a maximum, then pieces appended one after another; the text
 * and error expected at the end. */
static const struct {
	size_t max;
	const char *pieces[4];
	const char *text;
	int err;
} cases[] = {
	{ 10, { "abc", "def" }, "abcdef", 0 },
	{ 6, { "abc", "def" }, "abcdef", 0 },         /* exactly max */
	{ 5, { "abc", "def" }, "abc", 1 },            /* the piece that passes is dropped whole */
	{ 5, { "abc", "def", "g" }, "abc", 1 },       /* sticky: a piece that fits is dropped too */
	{ 0, { "" }, "", 0 },                         /* max 0 takes the empty string */
	{ 0, { "a" }, "", 1 },
	{ 3, { "", "abc", "" }, "abc", 0 },
	/* past the first 64-byte allocation, then past max */
	{ 64, { "12345678901234567890", "12345678901234567890", "12345678901234567890", "12345" },
	  "123456789012345678901234567890123456789012345678901234567890", 1 },
};

static void test_cases(void)
{
	T_CASE("sb: maximum length and sticky error");
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		sb s;
		sb_init(&s, cases[i].max);
		for (int k = 0; k < 4 && cases[i].pieces[k]; k++)
			sb_add(&s, cases[i].pieces[k]);
		CHECK_STR(sb_str(&s), cases[i].text);
		CHECK_INT(sb_err(&s), cases[i].err);
		CHECK(s.len <= cases[i].max);
		CHECK_INT(strlen(sb_str(&s)), s.len);
		sb_release(&s);
	}
}

static void test_addf(void)
{
	sb s;
	char big[1000];

	T_CASE("sb_addf: short and long (past the 256-byte fast path)");
	sb_init(&s, 4096);
	sb_addf(&s, "%s-%04d", "A", 7);
	CHECK_STR(sb_str(&s), "A-0007");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	sb_addf(&s, "[%s]", big);
	CHECK_INT(s.len, 6 + 2 + 999);
	CHECK_INT(sb_err(&s), 0);
	CHECK_INT(sb_str(&s)[s.len], 0);
	sb_release(&s);

	T_CASE("sb_addf: past the maximum sets the error, keeps the text");
	sb_init(&s, 500);
	sb_add(&s, "head");
	sb_addf(&s, "%s", big);
	CHECK_INT(sb_err(&s), 1);
	CHECK_STR(sb_str(&s), "head");
	sb_addf(&s, "%d", 1);
	CHECK_STR(sb_str(&s), "head");
	sb_release(&s);
}

static void test_edges(void)
{
	sb s;

	T_CASE("sb: nothing added");
	sb_init(&s, 10);
	CHECK_STR(sb_str(&s), "");
	char *p = sb_take(&s);
	CHECK_STR(p, "");
	free(p);

	T_CASE("sb_addn: a length that would wrap size_t is an error, not a write");
	sb_init(&s, (size_t)-1);
	sb_add(&s, "ab");
	sb_addn(&s, "c", (size_t)-1);
	CHECK_INT(sb_err(&s), 1);
	CHECK_STR(sb_str(&s), "ab");
	sb_release(&s);

	T_CASE("sb_reset clears the error and the text");
	sb_init(&s, 3);
	sb_add(&s, "abcd");
	CHECK_INT(sb_err(&s), 1);
	sb_reset(&s);
	CHECK_INT(sb_err(&s), 0);
	sb_add(&s, "xyz");
	CHECK_STR(sb_str(&s), "xyz");
	CHECK_INT(sb_err(&s), 0);

	T_CASE("sb_take hands over the text and reinitialises");
	p = sb_take(&s);
	CHECK_STR(p, "xyz");
	CHECK_INT(s.len, 0);
	CHECK_INT(s.max, 3);
	CHECK_STR(sb_str(&s), "");
	free(p);

	T_CASE("sb_addc and embedded text");
	sb_init(&s, 100);
	for (int i = 0; i < 100; i++)
		sb_addc(&s, (char)('a' + i % 26));
	CHECK_INT(s.len, 100);
	CHECK_INT(sb_err(&s), 0);
	sb_addc(&s, 'z');
	CHECK_INT(sb_err(&s), 1);
	CHECK_INT(s.len, 100);
	sb_release(&s);
	CHECK(s.buf == NULL);
	CHECK_INT(s.max, 100);
}

int main(void)
{
	test_cases();
	test_addf();
	test_edges();
	return t_done();
}
