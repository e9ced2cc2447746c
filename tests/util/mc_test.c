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

static void test_err(void)
{
	mc_err e = { 0 };
	char longv[400];

	T_CASE("mc_seterr returns the code and formats the message");
	CHECK_INT(mc_seterr(&e, MC_EINVAL, "unknown procedure '%s'", "x"), MC_EINVAL);
	CHECK_INT(e.code, MC_EINVAL);
	CHECK_STR(e.msg, "unknown procedure 'x'");

	T_CASE("mc_seterr with no record still returns the code");
	CHECK_INT(mc_seterr(NULL, MC_EIO, "%s", "ignored"), MC_EIO);

	T_CASE("mc_seterr cuts a long message and terminates it");
	memset(longv, 'v', sizeof longv - 1);
	longv[sizeof longv - 1] = 0;
	CHECK_INT(mc_seterr(&e, MC_EBUSY, "%s", longv), MC_EBUSY);
	CHECK_INT(strlen(e.msg), sizeof e.msg - 1);

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
