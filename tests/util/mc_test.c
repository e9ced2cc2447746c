/*
 * mc_test.c - the overflow-checked size helpers, the error record and the
 * allocating string copies.
 */
#include "mc.h"
#include "t.h"

#define MAX SIZE_MAX
#define HALF (SIZE_MAX / 2 + 1) /* 2^(bits-1) */

static const struct {
	size_t a, b;
	int overflow;
	size_t want; /* SIZE_MAX when it overflows */
} mul_cases[] = {
	{ 0, 0, 0, 0 },
	{ 0, MAX, 0, 0 },
	{ 1, MAX, 0, MAX },
	{ 2, HALF - 1, 0, MAX - 1 },
	{ 2, HALF, 1, MAX },
	{ MAX, MAX, 1, MAX },
	{ 1u << 16, 1u << 16, 0, (size_t)1 << 32 },
	{ 24, 1000000, 0, 24000000 },
};

static const struct {
	size_t a, b;
	int overflow;
	size_t want;
} add_cases[] = {
	{ 0, 0, 0, 0 },
	{ MAX, 0, 0, MAX },
	{ MAX - 1, 1, 0, MAX },
	{ MAX, 1, 1, MAX },
	{ HALF, HALF, 1, MAX },
	{ 100, 200, 0, 300 },
};

static void test_sizes(void)
{
	T_CASE("mc_size_mul");
	for (size_t i = 0; i < MC_ARRAY_LEN(mul_cases); i++) {
		size_t out = 12345;
		CHECK_INT(mc_size_mul(mul_cases[i].a, mul_cases[i].b, &out) != 0,
			  mul_cases[i].overflow);
		CHECK(out == mul_cases[i].want);
	}
	T_CASE("mc_size_add");
	for (size_t i = 0; i < MC_ARRAY_LEN(add_cases); i++) {
		size_t out = 12345;
		CHECK_INT(mc_size_add(add_cases[i].a, add_cases[i].b, &out) != 0,
			  add_cases[i].overflow);
		CHECK(out == add_cases[i].want);
	}
}

static void test_alloc(void)
{
	T_CASE("mc_xmallocarray and mc_xreallocarray");
	int *v = mc_xmallocarray(4, sizeof *v);
	for (int i = 0; i < 4; i++)
		v[i] = i;
	v = mc_xreallocarray(v, 1000, sizeof *v);
	CHECK_INT(v[3], 3);
	v[999] = 9;
	CHECK_INT(v[999], 9);
	free(v);

	T_CASE("mc_xstrndup copies n bytes and terminates");
	char *p = mc_xstrndup("abcdef", 3);
	CHECK_STR(p, "abc");
	free(p);
	p = mc_xstrndup("", 0);
	CHECK_STR(p, "");
	free(p);
	p = mc_xstrdup("Xã Kim Bôi");
	CHECK_STR(p, "Xã Kim Bôi");
	free(p);
}

static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
			: (*p & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0)
			return 0;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

static void test_err(void)
{
	mc_err e = { 0 };
	char longv[600];

	T_CASE("mc_fail returns the class, sets the code and both messages");
	CHECK_INT(mc_fail(&e, MCE_BAD_FIELD, "thiếu %s", "%s is required", "applicant.name"),
		  MC_EINVAL);
	CHECK_INT(e.code, MC_EINVAL);
	CHECK_INT(e.id, MCE_BAD_FIELD);
	CHECK_STR(e.msg, "applicant.name is required");
	CHECK_STR(e.vi, "thiếu applicant.name");
	CHECK_STR(mc_errmsg(&e, 1), "thiếu applicant.name");
	CHECK_STR(mc_errmsg(&e, 0), "applicant.name is required");

	T_CASE("mc_fail with positional arguments in a different order");
	CHECK_INT(mc_fail(&e, MCE_CONFLICT, "%2$s: %1$d", "%1$d %2$s", 7, "x"), MC_ECONFLICT);
	CHECK_STR(e.vi, "x: 7");
	CHECK_STR(e.msg, "7 x");

	T_CASE("mc_fail with no record still returns the class");
	CHECK_INT(mc_fail(NULL, MCE_BUSY, "%s", "%s", "ignored"), MC_EBUSY);

	T_CASE("mc_prefix puts context before both messages and keeps the code");
	MC_IGNORE(mc_fail(&e, MCE_NOT_FOUND, "không có thủ tục '%s'", "unknown procedure '%s'", "p1"));
	CHECK_INT(mc_prefix(&e, "dòng %d", "line %d", 3), MC_ENOTFOUND);
	CHECK_INT(e.id, MCE_NOT_FOUND);
	CHECK_STR(e.vi, "dòng 3: không có thủ tục 'p1'");
	CHECK_STR(e.msg, "line 3: unknown procedure 'p1'");

	T_CASE("mc_fail cuts a long message at a whole character and terminates it");
	/* a run of "ệ" (3 bytes) so that a cut lands inside a character */
	size_t nl = 0;
	while (nl + 4 < sizeof longv) {
		memcpy(longv + nl, "ệ", 3);
		nl += 3;
	}
	longv[nl] = 0;
	MC_IGNORE(mc_fail(&e, MCE_BUSY, "%s", "%s", longv));
	CHECK(strlen(e.vi) < sizeof e.vi);
	CHECK(strlen(e.vi) % 3 == 0);
	CHECK(valid_utf8(e.vi));
	CHECK(valid_utf8(e.msg));
	CHECK(strlen(e.msg) <= sizeof e.msg - 1 && strlen(e.msg) >= sizeof e.msg - 3);
	MC_IGNORE(mc_prefix(&e, "%s", "%s", longv));
	CHECK(valid_utf8(e.vi));
	CHECK(valid_utf8(e.msg));

	T_CASE("every stable code: a unique area.what name, a class, a status, both titles");
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	CHECK_INT(n, MCE_COUNT);
	for (size_t i = 0; i < n; i++) {
		const char *nm = d[i].name;
		int ok = nm && nm[0] && nm[0] != '.';
		for (const char *c = nm; ok && *c; c++)
			ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || (*c == '.' && c[1] && c[1] != '.');
		if (!ok)
			fprintf(stderr, "bad code name '%s'\n", nm ? nm : "(null)");
		CHECK(ok);
		for (size_t j = 0; j < i; j++)
			if (strcmp(d[j].name, nm) == 0) {
				fprintf(stderr, "code '%s' listed twice\n", nm);
				CHECK(0);
			}
		CHECK(d[i].cls > MC_OK && d[i].cls <= MC_EEXIST);
		CHECK(d[i].status >= 400 && d[i].status <= 599);
		int both = d[i].vi && d[i].en && d[i].vi[0] && d[i].en[0] && strcmp(d[i].vi, d[i].en) != 0 &&
			   valid_utf8(d[i].vi);
		if (!both)
			fprintf(stderr, "code '%s' lacks a Vietnamese or an English title\n", nm);
		CHECK(both);
		/* Vietnamese is written with its diacritics: a title of plain ASCII
		 * is English left untranslated. */
		int accented = 0;
		for (const char *c = d[i].vi; *c; c++)
			accented |= (unsigned char)*c >= 0x80;
		if (!accented)
			fprintf(stderr, "code '%s': the Vietnamese title has no diacritics\n", nm);
		CHECK(accented);
	}

	T_CASE("mc_code_name");
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{ MC_OK, "ok" },		{ MC_EINVAL, "invalid" }, { MC_ENOTFOUND, "not_found" },
		{ MC_ECONFLICT, "conflict" },	{ MC_EPERM, "forbidden" }, { MC_EBUSY, "busy" },
		{ MC_EIO, "io_error" },		{ MC_ECORRUPT, "corrupt" }, { MC_EEXIST, "exists" },
		{ -1, "error" },		{ 999, "error" },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(names); i++)
		CHECK_STR(mc_code_name(names[i].code), names[i].name);
}

int main(void)
{
	test_sizes();
	test_alloc();
	test_err();
	return t_done();
}
