/*
 * dsr_test.c - every action from every state: allowed exactly where the
 * table below says, refused (MC_ECONFLICT) everywhere else; the role matrix;
 * what transitions do to the clock.
 */
#include "core/dsr.h"
#include "t.h"

#define R(x) (1u << (x))

/* Expected transitions, written out from DESIGN §4 independently of the
 * table in dsr.c: action, states it applies to, state after (-1 same,
 * -2 back to where it was paused from). */
static const struct {
	const char *action;
	unsigned from;
	int to;
} expect[] = {
	{ "accept", R(DSR_SUBMITTED), DSR_RECEIVED },
	{ "refuse", R(DSR_SUBMITTED) | R(DSR_RECEIVED), DSR_REFUSED },
	{ "request_supplement", R(DSR_SUBMITTED) | R(DSR_RECEIVED) | R(DSR_PROCESSING), DSR_SUPPLEMENT },
	{ "supplement_received", R(DSR_SUPPLEMENT), -2 },
	{ "assign", R(DSR_RECEIVED), DSR_PROCESSING },
	{ "reassign", R(DSR_PROCESSING) | R(DSR_AWAITING_APPROVAL), DSR_PROCESSING },
	{ "request_payment", R(DSR_PROCESSING), DSR_AWAITING_PAYMENT },
	{ "payment_received", R(DSR_AWAITING_PAYMENT), DSR_PROCESSING },
	{ "submit_approval", R(DSR_PROCESSING), DSR_AWAITING_APPROVAL },
	{ "approve", R(DSR_AWAITING_APPROVAL), DSR_RESULT_READY },
	{ "send_back", R(DSR_AWAITING_APPROVAL), DSR_PROCESSING },
	{ "stop", R(DSR_RECEIVED) | R(DSR_PROCESSING) | R(DSR_AWAITING_APPROVAL) |
			  R(DSR_AWAITING_PAYMENT) | R(DSR_SUPPLEMENT), DSR_STOPPED },
	{ "withdraw", R(DSR_SUBMITTED) | R(DSR_RECEIVED) | R(DSR_PROCESSING) |
			      R(DSR_AWAITING_APPROVAL) | R(DSR_SUPPLEMENT) | R(DSR_AWAITING_PAYMENT),
	  DSR_WITHDRAWN },
	{ "apology", R(DSR_RECEIVED) | R(DSR_PROCESSING) | R(DSR_AWAITING_APPROVAL) |
			     R(DSR_SUPPLEMENT) | R(DSR_AWAITING_PAYMENT), -1 },
	{ "return", R(DSR_RESULT_READY), DSR_RETURNED },
	{ "transfer", R(DSR_SUBMITTED) | R(DSR_RECEIVED) | R(DSR_PROCESSING) |
			      R(DSR_AWAITING_APPROVAL) | R(DSR_AWAITING_PAYMENT), -1 },
};

/* Role matrix: which roles may take each action (R=reception S=specialist
 * L=leader A=admin; the supervisor never acts). */
static const struct {
	const char *action, *roles;
} role_expect[] = {
	{ "accept", "RA" },	       { "refuse", "RA" },	   { "request_supplement", "RSLA" },
	{ "supplement_received", "RSA" }, { "assign", "RLA" },	   { "reassign", "LA" },
	{ "request_payment", "SLA" },  { "payment_received", "RSA" }, { "submit_approval", "SA" },
	{ "approve", "LA" },	       { "send_back", "LA" },	   { "stop", "LA" },
	{ "withdraw", "RA" },	       { "apology", "SLA" },	   { "return", "RA" },
	{ "transfer", "RLA" },
};

static cal_sched sched;
static dl_hours hours;
static dsr_clock clk;

static mc_time T(const char *s)
{
	mc_time t = 0;
	mc_err e;
	if (cal_parse_datetime(s, &t, &e))
		fprintf(stderr, "bad time in test: %s\n", s);
	return t;
}

static dsr_rec base(int state)
{
	dsr_rec r;
	memset(&r, 0, sizeof r);
	r.state = state;
	r.resume_state = state == DSR_SUPPLEMENT ? DSR_PROCESSING : -1;
	r.time_amount = 5;
	r.time_unit = DL_WORKING_DAYS;
	if (state != DSR_SUBMITTED) {
		r.received_at = T("2025-03-03 08:00");
		r.due_at = T("2025-03-10 08:00");
		r.due_legal = r.due_at;
	}
	if (state == DSR_SUPPLEMENT)
		r.paused_at = T("2025-03-04 08:00");
	snprintf(r.agency, sizeof r.agency, "000.31.45.H45");
	snprintf(r.assignee, sizeof r.assignee, "cv");
	return r;
}

static dsr_req req_for(int action)
{
	dsr_req q = { .action = action, .actor = "x", .role = ROLE_ADMIN, .to_user = "cv2",
		      .to_agency = "000.32.45.H45", .new_due = T("2025-03-14 17:00"),
		      .comment = "lý do" };
	return q;
}

static void test_transitions(void)
{
	mc_time now = T("2025-03-05 09:00");
	CHECK_INT(MC_ARRAY_LEN(expect), DSR_N_ACTIONS);
	for (size_t i = 0; i < MC_ARRAY_LEN(expect); i++) {
		int action = dsr_action_parse(expect[i].action);
		CHECK(action >= 0);
		for (int s = 0; s < DSR_N_STATES; s++) {
			char name[96];
			snprintf(name, sizeof name, "%s from %s", expect[i].action, dsr_state_name(s));
			T_CASE(name);
			dsr_rec cur = base(s), next;
			memset(&next, 0x5a, sizeof next);
			dsr_req q = req_for(action);
			mc_err e = { 0 };
			int rc = dsr_apply(&cur, &q, now, &clk, &next, &e);
			if (expect[i].from & R(s)) {
				CHECK_INT(rc, MC_OK);
				int want = expect[i].to == -1   ? s
					   : expect[i].to == -2 ? DSR_PROCESSING
								: expect[i].to;
				if (rc == MC_OK)
					CHECK_STR(dsr_state_name(next.state), dsr_state_name(want));
			} else {
				CHECK_INT(rc, MC_ECONFLICT);
				CHECK(strstr(e.msg, "not allowed") != NULL);
				CHECK_INT(next.state, 0x5a5a5a5a); /* untouched */
			}
		}
	}
	T_CASE("");
}

static void test_roles(void)
{
	static const struct {
		char c;
		int role;
	} letters[] = { { 'R', ROLE_RECEPTION }, { 'S', ROLE_SPECIALIST }, { 'L', ROLE_LEADER },
			{ 'A', ROLE_ADMIN }, { 'V', ROLE_SUPERVISOR } };
	CHECK_INT(MC_ARRAY_LEN(role_expect), DSR_N_ACTIONS);
	for (size_t i = 0; i < MC_ARRAY_LEN(role_expect); i++) {
		int action = dsr_action_parse(role_expect[i].action);
		T_CASE(role_expect[i].action);
		for (size_t k = 0; k < MC_ARRAY_LEN(letters); k++)
			CHECK_INT(dsr_role_may(letters[k].role, action),
				  strchr(role_expect[i].roles, letters[k].c) != NULL);
	}
	T_CASE("");
	CHECK_INT(dsr_role_may(ROLE_ADMIN, -1), 0);
	CHECK_INT(dsr_role_may(ROLE_ADMIN, DSR_N_ACTIONS), 0);
	CHECK_INT(dsr_action_parse("fly"), -1);
	CHECK_INT(dsr_role_parse("reception"), ROLE_RECEPTION);
	CHECK_INT(dsr_role_parse("root"), 0);
}

static void test_codes(void)
{
	static const struct {
		int state, code;
	} codes[] = { { DSR_SUBMITTED, 1 }, { DSR_RECEIVED, 2 }, { DSR_REFUSED, 3 },
		      { DSR_PROCESSING, 4 }, { DSR_AWAITING_APPROVAL, 4 }, { DSR_SUPPLEMENT, 5 },
		      { DSR_AWAITING_PAYMENT, 6 }, { DSR_WITHDRAWN, 7 }, { DSR_STOPPED, 8 },
		      { DSR_RESULT_READY, 9 }, { DSR_RETURNED, 10 } };
	for (size_t i = 0; i < MC_ARRAY_LEN(codes); i++) {
		CHECK_INT(dsr_state_code(codes[i].state), codes[i].code);
		CHECK_INT(dsr_state_parse(dsr_state_name(codes[i].state)), codes[i].state);
		CHECK(strlen(dsr_state_label_vi(codes[i].state)) > 0);
	}
}

static void test_arguments(void)
{
	mc_time now = T("2025-03-05 09:00");
	dsr_rec cur = base(DSR_RECEIVED), next;
	mc_err e;
	dsr_req q = req_for(DSR_REFUSE);
	q.comment = "  ";
	CHECK_INT(dsr_apply(&cur, &q, now, &clk, &next, &e), MC_EINVAL);
	q = req_for(DSR_ASSIGN);
	q.to_user = "";
	CHECK_INT(dsr_apply(&cur, &q, now, &clk, &next, &e), MC_EINVAL);
	q = req_for(DSR_TRANSFER);
	q.to_agency = "000.31.45.H45"; /* its own agency */
	CHECK_INT(dsr_apply(&cur, &q, now, &clk, &next, &e), MC_EINVAL);
	q = req_for(DSR_TRANSFER);
	CHECK_INT(dsr_apply(&cur, &q, now, &clk, &next, &e), MC_OK);
	CHECK_STR(next.agency, "000.32.45.H45");
}

/* LAW: Decree 61/2018/NĐ-CP art. 19 as amended (the apology comes at the
 * latest one day before the due date) and issue 10 item 4: an apology is
 * made even after the appointment passed, and marked so. The base dossier
 * is due Monday 2025-03-10 08:00. */
static const struct {
	const char *what, *now, *new_due;
	int rc, after_due, short_notice;
} apologies[] = {
	{ "two working days ahead", "2025-03-05 09:00", "2025-03-14 17:00", MC_OK, 0, 0 },
	{ "Friday 07:30: 8.5 working hours ahead", "2025-03-07 07:30", "2025-03-14 17:00", MC_OK, 0, 0 },
	{ "Friday 10:00: 6 working hours ahead", "2025-03-07 10:00", "2025-03-14 17:00", MC_OK, 0, 1 },
	{ "Saturday afternoon: 1 working hour ahead", "2025-03-08 14:00", "2025-03-14 17:00", MC_OK, 0, 1 },
	{ "at the appointment", "2025-03-10 08:00", "2025-03-14 17:00", MC_OK, 1, 1 },
	{ "after the appointment: still owed", "2025-03-12 10:00", "2025-03-14 17:00", MC_OK, 1, 1 },
	{ "new date not later than the appointment", "2025-03-05 09:00", "2025-03-09 17:00", MC_EINVAL, 0, 0 },
	{ "new date equal to the appointment", "2025-03-05 09:00", "2025-03-10 08:00", MC_EINVAL, 0, 0 },
	{ "new date already past", "2025-03-15 09:00", "2025-03-14 17:00", MC_EINVAL, 0, 0 },
};

static void test_apology(void)
{
	mc_err e;
	for (size_t i = 0; i < MC_ARRAY_LEN(apologies); i++) {
		T_CASE(apologies[i].what);
		dsr_rec cur = base(DSR_PROCESSING), next;
		dsr_req q = req_for(DSR_APOLOGY);
		mc_time now = T(apologies[i].now);
		q.new_due = T(apologies[i].new_due);
		CHECK_INT(dsr_apply(&cur, &q, now, &clk, &next, &e), apologies[i].rc);
		if (apologies[i].rc)
			continue;
		CHECK_INT(next.due_at, q.new_due);
		CHECK_INT(next.due_legal, cur.due_legal); /* statistics keep the original */
		CHECK_INT(next.apology_at, now);
		int after = -1, short_notice = -1;
		CHECK_INT(dsr_apology_timing(&cur, now, &clk, &after, &short_notice, &e), MC_OK);
		CHECK_INT(after, apologies[i].after_due);
		CHECK_INT(short_notice, apologies[i].short_notice);
	}
	T_CASE("apology: once; none without an appointment");
	dsr_rec cur = base(DSR_PROCESSING), next, after;
	dsr_req q = req_for(DSR_APOLOGY);
	CHECK_INT(dsr_apply(&cur, &q, T("2025-03-05 09:00"), &clk, &next, &e), MC_OK);
	q.new_due = T("2025-03-20 17:00");
	CHECK_INT(dsr_apply(&next, &q, T("2025-03-06 09:00"), &clk, &after, &e), MC_ECONFLICT);
	dsr_rec none = base(DSR_PROCESSING);
	none.due_at = none.due_legal = 0;
	CHECK_INT(dsr_apply(&none, &q, T("2025-03-06 09:00"), &clk, &after, &e), MC_ECONFLICT);
	T_CASE("apology: the officer's overdue follows the new date, statistics the original");
	CHECK_INT(dsr_is_overdue(&next, T("2025-03-12 09:00")), 0);
	CHECK_INT(dsr_is_overdue_legal(&next, T("2025-03-12 09:00")), 1);
	CHECK_INT(dsr_is_overdue(&next, T("2025-03-17 09:00")), 1);
	CHECK_INT(dsr_is_overdue_legal(&next, T("2025-03-07 09:00")), 0);
	dsr_rec paused = next;
	paused.state = DSR_SUPPLEMENT;
	CHECK_INT(dsr_is_overdue_legal(&paused, T("2025-03-12 09:00")), 0);
	/* timeliness still judged against the original due date */
	T_CASE("apology: timeliness against the original due time");
	next.state = DSR_AWAITING_APPROVAL;
	dsr_req ap = req_for(DSR_APPROVE);
	CHECK_INT(dsr_apply(&next, &ap, T("2025-03-12 10:00"), &clk, &after, &e), MC_OK);
	CHECK_INT(after.timeliness, DL_LATE);
}

static void test_clock(void)
{
	mc_err e;
	dsr_rec r = base(DSR_SUBMITTED), n1, n2, n3, n4, n5;
	/* accept starts the clock: Mon 2025-03-03 08:00 + 5 working days */
	dsr_req q = req_for(DSR_ACCEPT);
	CHECK_INT(dsr_apply(&r, &q, T("2025-03-03 08:00"), &clk, &n1, &e), MC_OK);
	CHECK_INT(n1.received_at, T("2025-03-03 08:00"));
	CHECK_INT(n1.due_at, T("2025-03-10 08:00"));
	n1.state = DSR_PROCESSING;
	/* supplement Wed 10:00, back Fri 10:00: 16 working hours paused */
	q = req_for(DSR_REQUEST_SUPPLEMENT);
	CHECK_INT(dsr_apply(&n1, &q, T("2025-03-05 10:00"), &clk, &n2, &e), MC_OK);
	CHECK_INT(n2.state, DSR_SUPPLEMENT);
	CHECK_INT(n2.supplements_processing, 1);
	q = req_for(DSR_SUPPLEMENT_RECEIVED);
	CHECK_INT(dsr_apply(&n2, &q, T("2025-03-07 10:00"), &clk, &n3, &e), MC_OK);
	CHECK_INT(n3.state, DSR_PROCESSING);
	CHECK_INT(n3.due_at, T("2025-03-12 08:00"));
	CHECK_INT(n3.due_legal, T("2025-03-12 08:00"));
	CHECK_INT(n3.paused_at, 0);
	/* finish on the due date: on time; the day before: early; after: late */
	n3.state = DSR_AWAITING_APPROVAL;
	q = req_for(DSR_APPROVE);
	CHECK_INT(dsr_apply(&n3, &q, T("2025-03-12 16:00"), &clk, &n4, &e), MC_OK);
	CHECK_INT(n4.timeliness, DL_ON_TIME);
	CHECK_INT(dsr_apply(&n3, &q, T("2025-03-11 16:00"), &clk, &n4, &e), MC_OK);
	CHECK_INT(n4.timeliness, DL_EARLY);
	CHECK_INT(dsr_apply(&n3, &q, T("2025-03-13 07:30"), &clk, &n4, &e), MC_OK);
	CHECK_INT(n4.timeliness, DL_LATE);
	/* a second supplement during processing makes it late whatever the date */
	n3.supplements_processing = 2;
	CHECK_INT(dsr_apply(&n3, &q, T("2025-03-11 16:00"), &clk, &n5, &e), MC_OK);
	CHECK_INT(n5.timeliness, DL_LATE);
	/* a stop during a supplement wait first moves the due time by the
	 * pause: paused Wed 10:00, stopped Fri 10:00 (16 working hours), so the
	 * due date is 14/3 08:00 and a stop on 11/3 is judged early */
	dsr_rec n6;
	q = req_for(DSR_STOP);
	CHECK_INT(dsr_apply(&n2, &q, T("2025-03-11 10:00"), &clk, &n6, &e), MC_OK);
	CHECK_INT(n6.due_legal, T("2025-03-14 08:00"));
	CHECK_INT(n6.timeliness, DL_EARLY);
	CHECK_INT(n6.paused_at, 0);
	/* overdue: open, clock running, past due; never while paused */
	CHECK_INT(dsr_is_overdue(&n1, T("2025-03-10 08:01")), 1);
	CHECK_INT(dsr_is_overdue(&n1, T("2025-03-10 08:00")), 0);
	CHECK_INT(dsr_is_overdue(&n2, T("2025-04-10 08:00")), 0);
	CHECK_INT(dsr_is_overdue(&n4, T("2025-04-10 08:00")), 0);
}

/* A supplement wait that holds no working time leaves both due times
 * exactly where they were, even at the close of a day (17:00 is not moved
 * to 07:00 of the next working day); one that holds working time moves
 * them by that much. Rows: due, supplement requested, supplement received,
 * expected due (local). */
static const struct {
	const char *due, *pause, *resume, *new_due;
} zero_pauses[] = {
	/* requested and received in the same instant */
	{ "2025-03-07 17:00", "2025-03-05 10:00", "2025-03-05 10:00", "2025-03-07 17:00" },
	{ "2025-03-07 17:00", "2025-03-07 17:00", "2025-03-07 17:00", "2025-03-07 17:00" },
	{ "2025-03-07 11:30", "2025-03-07 11:30", "2025-03-07 11:30", "2025-03-07 11:30" },
	{ "2025-03-10 07:00", "2025-03-07 16:00", "2025-03-07 16:00", "2025-03-10 07:00" },
	/* Friday 17:30 to Monday 06:00: no working time in between */
	{ "2025-03-12 17:00", "2025-03-07 17:30", "2025-03-10 06:00", "2025-03-12 17:00" },
	/* Friday close to Monday opening; over lunch; over 30/4-1/5 2025 (this
	 * suite's calendar has the Labour Code days off only) */
	{ "2025-03-12 17:00", "2025-03-07 17:00", "2025-03-10 07:00", "2025-03-12 17:00" },
	{ "2025-03-12 11:30", "2025-03-10 11:30", "2025-03-10 13:30", "2025-03-12 11:30" },
	{ "2025-05-05 17:00", "2025-04-29 17:00", "2025-05-01 20:00", "2025-05-05 17:00" },
	/* with working time: 16:00-16:30 moves 17:00 half an hour into the
	 * next working day; 16:00-17:00 Fri moves Wed 16:00 to Wed 17:00 */
	{ "2025-03-07 17:00", "2025-03-05 16:00", "2025-03-05 16:30", "2025-03-10 07:30" },
	{ "2025-03-12 16:00", "2025-03-07 16:00", "2025-03-07 17:00", "2025-03-12 17:00" },
	/* waits are counted in whole minutes: seconds at one sitting move
	 * nothing; 59 s is still nothing; 1 min 59 s is one minute */
	{ "2025-03-07 17:00", "2025-03-05 10:00:00", "2025-03-05 10:00:03", "2025-03-07 17:00" },
	{ "2025-03-07 17:00", "2025-03-07 16:59:58", "2025-03-07 17:00:00", "2025-03-07 17:00" },
	{ "2025-03-07 17:00", "2025-03-05 10:00:00", "2025-03-05 10:00:59", "2025-03-07 17:00" },
	{ "2025-03-07 17:00", "2025-03-05 10:00:00", "2025-03-05 10:01:59", "2025-03-10 07:01" },
	{ "2025-03-07 16:00", "2025-03-05 10:00:30", "2025-03-05 10:45:10", "2025-03-07 16:44" },
};

static void test_zero_pause(void)
{
	char name[96];
	for (size_t i = 0; i < MC_ARRAY_LEN(zero_pauses); i++) {
		mc_err e;
		dsr_rec r = base(DSR_PROCESSING), paused, back, stopped;
		snprintf(name, sizeof name, "pause %s to %s, due %s", zero_pauses[i].pause,
			 zero_pauses[i].resume, zero_pauses[i].due);
		T_CASE(name);
		r.due_at = r.due_legal = T(zero_pauses[i].due);
		dsr_req q = req_for(DSR_REQUEST_SUPPLEMENT);
		CHECK_INT(dsr_apply(&r, &q, T(zero_pauses[i].pause), &clk, &paused, &e), MC_OK);
		q = req_for(DSR_SUPPLEMENT_RECEIVED);
		CHECK_INT(dsr_apply(&paused, &q, T(zero_pauses[i].resume), &clk, &back, &e), MC_OK);
		CHECK_INT(back.due_at, T(zero_pauses[i].new_due));
		CHECK_INT(back.due_legal, T(zero_pauses[i].new_due));
		CHECK_INT(back.state, DSR_PROCESSING);
		/* a stop that ends the wait moves the legal due time the same way */
		q = req_for(DSR_STOP);
		CHECK_INT(dsr_apply(&paused, &q, T(zero_pauses[i].resume), &clk, &stopped, &e),
			  MC_OK);
		CHECK_INT(stopped.due_legal, T(zero_pauses[i].new_due));
	}
	/* an apology's appointment outside office hours is kept by a zero wait */
	{
		mc_err e;
		dsr_rec r = base(DSR_PROCESSING), paused, back;
		T_CASE("zero pause keeps an apology's evening appointment");
		r.due_at = T("2025-03-14 18:00");
		r.due_legal = T("2025-03-12 17:00");
		dsr_req q = req_for(DSR_REQUEST_SUPPLEMENT);
		CHECK_INT(dsr_apply(&r, &q, T("2025-03-07 17:30"), &clk, &paused, &e), MC_OK);
		q = req_for(DSR_SUPPLEMENT_RECEIVED);
		CHECK_INT(dsr_apply(&paused, &q, T("2025-03-10 06:00"), &clk, &back, &e), MC_OK);
		CHECK_INT(back.due_at, T("2025-03-14 18:00"));
		CHECK_INT(back.due_legal, T("2025-03-12 17:00"));
	}
}

/* Issue 10, item 1: a refusal, from submitted or from received (the desk's
 * two steps), leaves a dossier that was never received. */
static void test_refusal(void)
{
	mc_err e;
	int from[] = { DSR_SUBMITTED, DSR_RECEIVED };
	for (size_t i = 0; i < MC_ARRAY_LEN(from); i++) {
		T_CASE(i ? "refused after its receipt" : "refused before reception");
		dsr_rec cur = base(from[i]), next;
		dsr_req q = req_for(DSR_REFUSE);
		CHECK_INT(dsr_apply(&cur, &q, T("2025-03-03 08:05"), &clk, &next, &e), MC_OK);
		CHECK_INT(next.state, DSR_REFUSED);
		CHECK_INT(dsr_state_code(next.state), 3);
		CHECK_STR(dsr_state_label_vi(next.state), "Không được tiếp nhận");
		CHECK_INT(next.received_at, 0);
		CHECK_INT(next.due_at, 0);
		CHECK_INT(next.due_legal, 0);
		CHECK_INT(next.finished_at, 0);
		CHECK_INT(next.timeliness, 0);
		CHECK(!dsr_is_overdue(&next, T("2025-04-01 08:00")));
	}
}

/* Issue 10, item 2: a supplement asked before processing (at the desk) is
 * not a reception: no clock until the papers are complete and received. */
static void test_supplement_at_reception(void)
{
	mc_err e;
	int from[] = { DSR_SUBMITTED, DSR_RECEIVED };
	for (size_t i = 0; i < MC_ARRAY_LEN(from); i++) {
		T_CASE(i ? "supplement right after the receipt" : "supplement before reception");
		dsr_rec cur = base(from[i]), n1, n2, n3;
		dsr_req q = req_for(DSR_REQUEST_SUPPLEMENT);
		CHECK_INT(dsr_apply(&cur, &q, T("2025-03-03 08:05"), &clk, &n1, &e), MC_OK);
		CHECK_INT(n1.state, DSR_SUPPLEMENT);
		CHECK_INT(n1.resume_state, DSR_SUBMITTED);
		CHECK_INT(n1.received_at, 0);
		CHECK_INT(n1.due_at, 0);
		CHECK_INT(n1.due_legal, 0);
		CHECK_INT(n1.paused_at, 0);
		CHECK_INT(n1.supplements, 1);
		CHECK_INT(n1.supplements_processing, 0);
		CHECK(!dsr_is_overdue(&n1, T("2025-04-01 08:00")));
		/* the papers come Wednesday 10:00: received then, 5 working days */
		q = req_for(DSR_SUPPLEMENT_RECEIVED);
		CHECK_INT(dsr_apply(&n1, &q, T("2025-03-05 10:00"), &clk, &n2, &e), MC_OK);
		CHECK_INT(n2.state, DSR_RECEIVED);
		CHECK_INT(n2.resume_state, -1);
		CHECK_INT(n2.received_at, T("2025-03-05 10:00"));
		CHECK_INT(n2.due_at, T("2025-03-12 10:00"));
		CHECK_INT(n2.due_legal, T("2025-03-12 10:00"));
		/* withdrawn while waiting: never received, nothing to judge */
		q = req_for(DSR_WITHDRAW);
		CHECK_INT(dsr_apply(&n1, &q, T("2025-03-05 10:00"), &clk, &n3, &e), MC_OK);
		CHECK_INT(n3.state, DSR_WITHDRAWN);
		CHECK_INT(n3.finished_at, 0);
		CHECK_INT(n3.timeliness, 0);
		CHECK_INT(n3.received_at, 0);
	}
	/* during processing the clock pauses and the appointment stays */
	T_CASE("supplement during processing");
	dsr_rec cur = base(DSR_PROCESSING), n;
	dsr_req q = req_for(DSR_REQUEST_SUPPLEMENT);
	CHECK_INT(dsr_apply(&cur, &q, T("2025-03-04 08:00"), &clk, &n, &e), MC_OK);
	CHECK_INT(n.resume_state, DSR_PROCESSING);
	CHECK_INT(n.received_at, cur.received_at);
	CHECK_INT(n.due_at, cur.due_at);
	CHECK_INT(n.paused_at, T("2025-03-04 08:00"));
}

int main(void)
{
	mc_err e;
	cal_sched_init(&sched);
	if (cal_sched_finish(&sched, &e))
		fprintf(stderr, "sched: %s\n", e.msg);
	dl_hours_default(&hours);
	clk.sched = &sched;
	clk.hours = &hours;
	test_transitions();
	test_roles();
	test_codes();
	test_arguments();
	test_apology();
	test_clock();
	test_zero_pause();
	test_refusal();
	test_supplement_at_reception();
	cal_sched_release(&sched);
	return t_done();
}
