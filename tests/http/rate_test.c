/*
 * rate_test.c - the in-memory limits of src/http/rate.c: sign-in locks per
 * (login, address), the address-wide and login-wide counts, the pause of a
 * dossier code, requests in flight, and that no flood of other keys can
 * wipe a lock (the table never gives away a slot that holds one).
 */
#include "t.h"

#include "http/http.h"

static void pair_lock(void)
{
	T_CASE("five failures lock (login, address) only");
	rate_reset();
	mc_time now = 1000000;
	int ra = 0;
	CHECK(rate_login_allowed("lanhdao", "10.0.0.1", now, &ra));
	rate_login_succeeded("lanhdao", "10.0.0.1", now); /* the officer's desk */
	for (int i = 0; i < 5; i++) {
		CHECK(rate_login_allowed("lanhdao", "10.0.0.66", now, &ra));
		rate_login_failed("lanhdao", "10.0.0.66", now);
	}
	CHECK(!rate_login_allowed("lanhdao", "10.0.0.66", now, &ra));
	CHECK(ra >= 2);
	CHECK(rate_login_allowed("lanhdao", "10.0.0.1", now, &ra));
	CHECK(rate_login_allowed("lanhdao", "10.0.0.2", now, &ra));
	CHECK(rate_login_allowed("chuyenvien", "10.0.0.66", now, &ra));
	T_CASE("the back-off ends");
	CHECK(rate_login_allowed("lanhdao", "10.0.0.66", now + 3, &ra));
}

static void login_wide(void)
{
	T_CASE("50 failures from many addresses slow the login, not a known desk");
	rate_reset();
	mc_time now = 2000000;
	int ra = 0;
	rate_login_succeeded("lanhdao", "10.0.0.1", now);
	for (int i = 0; i < 60; i++) {
		char a[32];
		snprintf(a, sizeof a, "10.1.%d.%d", i / 250, i % 250);
		rate_login_failed("lanhdao", a, now);
	}
	CHECK(!rate_login_allowed("lanhdao", "10.2.0.1", now, &ra)); /* a stranger waits */
	CHECK(ra <= 3);
	CHECK(rate_login_allowed("lanhdao", "10.0.0.1", now, &ra)); /* the desk does not */
}

static void address_wide(void)
{
	T_CASE("an address spraying logins is stopped after 20 failures");
	rate_reset();
	mc_time now = 3000000;
	int ra = 0;
	for (int i = 0; i < 20; i++) {
		char l[32];
		snprintf(l, sizeof l, "user%d", i);
		CHECK(rate_login_allowed(l, "10.9.9.9", now, &ra));
		rate_login_failed(l, "10.9.9.9", now);
	}
	CHECK(!rate_login_allowed("someone", "10.9.9.9", now, &ra));
	CHECK(rate_login_allowed("someone", "10.9.9.8", now, &ra));
}

static void flood_keeps_locks(void)
{
	T_CASE("a flood of other keys never wipes a lock");
	rate_reset();
	mc_time now = 4000000;
	int ra = 0;
	for (int i = 0; i < 6; i++)
		rate_login_failed("victim", "10.0.0.7", now);
	CHECK(!rate_login_allowed("victim", "10.0.0.7", now, &ra));
	/* 100 000 one-off keys: far more than the table holds. */
	for (int i = 0; i < 100000; i++) {
		char k[32];
		snprintf(k, sizeof k, "203.0.%d.%d", i / 256 % 256, i % 256);
		(void)rate_allow("public", k, 30, 60, now, NULL);
	}
	CHECK(!rate_login_allowed("victim", "10.0.0.7", now, &ra));
	T_CASE("a table full of held slots refuses rather than forgives");
	int refused = 0;
	for (int i = 0; i < 40000; i++) {
		char l[32];
		snprintf(l, sizeof l, "u%d", i);
		rate_login_failed(l, "10.5.5.5", now);
	}
	for (int i = 0; i < 2000; i++) {
		char l[32];
		snprintf(l, sizeof l, "fresh%d", i);
		refused += !rate_login_allowed(l, "10.6.6.6", now, &ra);
	}
	CHECK(refused > 0);
	CHECK(!rate_login_allowed("victim", "10.0.0.7", now, &ra));
}

static void code_pause(void)
{
	T_CASE("ten wrong phone tries pause a code for an hour");
	rate_reset();
	mc_time now = 5000000;
	int ra = 0;
	for (int i = 0; i < RATE_CODE_MAX - 1; i++)
		rate_code_wrong("X-260302-0001", now);
	CHECK(rate_code_allowed("X-260302-0001", now, &ra));
	rate_code_wrong("X-260302-0001", now);
	CHECK(!rate_code_allowed("X-260302-0001", now, &ra));
	CHECK(ra > 3000 && ra <= 3601);
	CHECK(rate_code_allowed("X-260302-0002", now, &ra));
	CHECK(rate_code_allowed("X-260302-0001", now + 3600, &ra));
}

static void inflight(void)
{
	T_CASE("requests in flight per session");
	rate_reset();
	for (int i = 0; i < 8; i++)
		CHECK(rate_inflight_begin("s:abc", 8));
	CHECK(!rate_inflight_begin("s:abc", 8));
	CHECK(rate_inflight_begin("s:def", 8));
	rate_inflight_end("s:abc");
	CHECK(rate_inflight_begin("s:abc", 8));
}

static void window(void)
{
	T_CASE("a fixed window per (bucket, key)");
	rate_reset();
	int ra = 0;
	for (int i = 0; i < 30; i++)
		CHECK(rate_allow("public", "10.0.0.1", 30, 60, 100, &ra));
	CHECK(!rate_allow("public", "10.0.0.1", 30, 60, 110, &ra));
	CHECK_INT(ra, 51);
	CHECK(rate_allow("signin", "10.0.0.1", 30, 60, 110, &ra));
	CHECK(rate_allow("public", "10.0.0.1", 30, 60, 160, &ra));
}

int main(void)
{
	pair_lock();
	login_wide();
	address_wide();
	flood_keeps_locks();
	code_pause();
	inflight();
	window();
	return t_done();
}
