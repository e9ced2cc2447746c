/*
 * t.h - the test harness: checks that count, and a closing
 * "N passed, N failed" line (Redis testhelp.h). Each CHECK is one test.
 */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;
static const char *t_case = "";

#define T_CASE(name) (t_case = (name))

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (cond) {                                                              \
			t_pass++;                                                        \
		} else {                                                                 \
			t_fail++;                                                        \
			fprintf(stderr, "FAIL %s:%d [%s]: %s\n", __FILE__, __LINE__, t_case, \
				#cond);                                                  \
		}                                                                        \
	} while (0)

#define CHECK_INT(a, b)                                                                  \
	do {                                                                             \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);                  \
		if (t_a_ == t_b_) {                                                      \
			t_pass++;                                                        \
		} else {                                                                 \
			t_fail++;                                                        \
			fprintf(stderr, "FAIL %s:%d [%s]: %s == %lld, expected %lld\n",  \
				__FILE__, __LINE__, t_case, #a, t_a_, t_b_);             \
		}                                                                        \
	} while (0)

#define CHECK_STR(a, b)                                                                  \
	do {                                                                             \
		const char *t_a_ = (a), *t_b_ = (b);                                     \
		if (t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0) {                           \
			t_pass++;                                                        \
		} else {                                                                 \
			t_fail++;                                                        \
			fprintf(stderr, "FAIL %s:%d [%s]: %s == \"%s\", expected \"%s\"\n", \
				__FILE__, __LINE__, t_case, #a, t_a_ ? t_a_ : "(null)",  \
				t_b_ ? t_b_ : "(null)");                                 \
		}                                                                        \
	} while (0)

/* Prints the closing line; use as main's return value. */
static inline int t_done(void)
{
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
