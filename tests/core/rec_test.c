/*
 * rec_test.c - the recommendation life cycle (src/core/rec.c): every
 * action from every state, on its own side and the other; the role matrix
 * (with the department's officers who may answer); what each step needs;
 * and how each side applies the other side's steps (rec_merge), every
 * state against every step, written out from docs/recommendations.md
 * independently of the code.
 */
#include "core/dsr.h"
#include "core/rec.h"
#include "t.h"

#define R(x) (1u << (x))
#define NONE (-1)

/* Expected transitions: action, the side it belongs to, the states it
 * applies to (NONE_OK: the file step, from no record), the state after. */
static const struct {
	const char *action;
	int side;
	unsigned from;
	int to;
} expect[] = {
	{ "file", REC_COMMUNE, 0, REC_FILED },
	{ "route", REC_PROVINCE, R(REC_FILED), REC_ROUTED },
	{ "reroute", REC_PROVINCE, R(REC_ROUTED), REC_ROUTED },
	{ "answer", REC_PROVINCE, R(REC_ROUTED), REC_ANSWERED },
	{ "close", REC_COMMUNE, R(REC_ANSWERED), REC_CLOSED },
	{ "reopen", REC_COMMUNE, R(REC_ANSWERED) | R(REC_CLOSED), REC_ROUTED },
	{ "withdraw", REC_COMMUNE, R(REC_FILED) | R(REC_ROUTED), REC_WITHDRAWN },
};

/* Roles (R=reception S=specialist L=leader A=admin V=supervisor). */
static const struct {
	const char *action, *roles;
} role_expect[] = {
	{ "file", "LA" },   { "route", "LAV" }, { "reroute", "LAV" }, { "answer", "LA" },
	{ "close", "LA" },  { "reopen", "LA" }, { "withdraw", "LA" },
};

static int role_of(char c)
{
	switch (c) {
	case 'R': return ROLE_RECEPTION;
	case 'S': return ROLE_SPECIALIST;
	case 'L': return ROLE_LEADER;
	case 'A': return ROLE_ADMIN;
	case 'V': return ROLE_SUPERVISOR;
	}
	return 0;
}

static const int all_roles[] = { ROLE_RECEPTION, ROLE_SPECIALIST, ROLE_LEADER, ROLE_ADMIN,
				 ROLE_SUPERVISOR };

/* A request with everything any step may need. */
static rec_req full_req(int action, int side, int role)
{
	rec_req q = { .action = action, .side = side, .role = role, .unit = "",
		      .department = "SXD", .reason = "lý do", .answer = "trả lời" };
	return q;
}

static rec_rec at(int state, int round, const char *dept)
{
	rec_rec r = { .state = state, .round = round };
	snprintf(r.department, sizeof r.department, "%s", dept);
	return r;
}

static void test_table(void)
{
	T_CASE("table");
	CHECK_INT(MC_ARRAY_LEN(expect), REC_N_ACTIONS);
	for (int i = 0; i < REC_N_ACTIONS; i++) {
		CHECK_INT(rec_actions[i].action, i);
		CHECK_INT(rec_action_parse(rec_actions[i].name), i);
		CHECK(rec_actions[i].label_vi[0] != 0);
		CHECK(strncmp(rec_actions[i].event, "recommendation.", 15) == 0);
	}
	CHECK_INT(rec_action_parse("nope"), -1);
	CHECK_INT(rec_action_parse(NULL), -1);
	for (int s = 0; s < REC_N_STATES; s++) {
		CHECK_INT(rec_state_parse(rec_state_name(s)), s);
		CHECK(rec_state_label_vi(s)[0] != 0);
	}
	CHECK_INT(rec_state_parse("open"), -1);
	CHECK_STR(rec_state_name(-1), "");
	CHECK_INT(rec_action_of_event("recommendation.routed"), REC_ROUTE);
	CHECK_INT(rec_action_of_event("recommendation.reopened"), REC_REOPEN);
	CHECK_INT(rec_action_of_event("recommendation.filed"), REC_FILE);
	CHECK_INT(rec_action_of_event("dossier.received"), -1);
	CHECK(rec_state_is_open(REC_FILED) && rec_state_is_open(REC_ROUTED));
	CHECK(!rec_state_is_open(REC_ANSWERED) && !rec_state_is_open(REC_CLOSED) &&
	      !rec_state_is_open(REC_WITHDRAWN));
}

/* Every action from every state (and from no record), by a role that may,
 * on its own side: allowed exactly where expect says. */
static void test_states(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(expect); i++) {
		int act = rec_action_parse(expect[i].action);
		T_CASE(expect[i].action);
		CHECK(act >= 0);
		CHECK_INT(rec_actions[act].side, expect[i].side);
		for (int s = -1; s < REC_N_STATES; s++) {
			rec_rec cur = at(s, 2, s >= REC_ROUTED ? "STP" : "");
			rec_req q = full_req(act, expect[i].side, ROLE_ADMIN);
			rec_rec next;
			mc_err e;
			int rc = rec_apply(&cur, &q, &next, &e);
			int ok = act == REC_FILE ? s == -1 : s >= 0 && (expect[i].from & R(s));
			if (ok) {
				CHECK_INT(rc, MC_OK);
				CHECK_INT(next.state, expect[i].to);
			} else {
				CHECK_INT(rc, MC_ECONFLICT);
				CHECK_INT(e.id, MCE_REC_WRONG_STATE);
			}
		}
	}
}

/* Each action on the other side is refused first, whatever the state. */
static void test_sides(void)
{
	T_CASE("sides");
	for (int a = 0; a < REC_N_ACTIONS; a++)
		for (int s = -1; s < REC_N_STATES; s++) {
			rec_rec cur = at(s, 1, "SXD"), next;
			int other = rec_actions[a].side == REC_COMMUNE ? REC_PROVINCE : REC_COMMUNE;
			rec_req q = full_req(a, other, ROLE_ADMIN);
			mc_err e;
			CHECK_INT(rec_apply(&cur, &q, &next, &e), MC_EPERM);
			CHECK_INT(e.id, MCE_REC_SIDE);
		}
}

/* The role matrix, in a state the action applies to. */
static void test_roles(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(role_expect); i++) {
		int act = rec_action_parse(role_expect[i].action);
		T_CASE(role_expect[i].action);
		int from = -1;
		for (int s = 0; s < REC_N_STATES && act != REC_FILE; s++)
			if (rec_actions[act].from & R(s)) {
				from = s;
				break;
			}
		for (size_t r = 0; r < MC_ARRAY_LEN(all_roles); r++) {
			int may = 0;
			for (const char *c = role_expect[i].roles; *c; c++)
				may |= role_of(*c) == all_roles[r];
			rec_rec cur = at(from, 1, "STP"), next;
			rec_req q = full_req(act, rec_actions[act].side, all_roles[r]);
			q.department = "SXD";
			mc_err e;
			int rc = rec_apply(&cur, &q, &next, &e);
			CHECK_INT(rc, may ? MC_OK : MC_EPERM);
			if (!may)
				CHECK_INT(e.id, MCE_ROLE);
		}
	}
}

/* An officer whose unit is the department routed to answers whatever
 * their role; another department's may not; nobody answers by unit an
 * action that does not allow it. */
static void test_unit(void)
{
	T_CASE("unit");
	rec_rec cur = at(REC_ROUTED, 1, "SXD"), next;
	mc_err e;
	for (size_t r = 0; r < MC_ARRAY_LEN(all_roles); r++) {
		rec_req q = full_req(REC_ANSWER, REC_PROVINCE, all_roles[r]);
		q.unit = "SXD";
		CHECK_INT(rec_apply(&cur, &q, &next, &e), MC_OK);
		CHECK_INT(next.state, REC_ANSWERED);
		q.unit = "STP";
		CHECK_INT(rec_apply(&cur, &q, &next, &e),
			  (all_roles[r] & (ROLE_LEADER | ROLE_ADMIN)) ? MC_OK : MC_EPERM);
		q.unit = "";
		CHECK_INT(rec_apply(&cur, &q, &next, &e),
			  (all_roles[r] & (ROLE_LEADER | ROLE_ADMIN)) ? MC_OK : MC_EPERM);
	}
	/* The unit does not route, close or reopen. */
	rec_rec filed = at(REC_FILED, 1, "");
	rec_req q = full_req(REC_ROUTE, REC_PROVINCE, ROLE_SPECIALIST);
	q.unit = "SXD";
	CHECK_INT(rec_apply(&filed, &q, &next, &e), MC_EPERM);
	rec_rec ans = at(REC_ANSWERED, 1, "SXD");
	q = full_req(REC_REOPEN, REC_COMMUNE, ROLE_SPECIALIST);
	q.unit = "SXD";
	CHECK_INT(rec_apply(&ans, &q, &next, &e), MC_EPERM);
	/* Answering a recommendation not routed: no department to match. */
	q = full_req(REC_ANSWER, REC_PROVINCE, ROLE_SPECIALIST);
	q.unit = "SXD";
	CHECK_INT(rec_apply(&filed, &q, &next, &e), MC_EPERM);
}

/* What each step needs, and what it does to the round and department. */
static void test_needs(void)
{
	static const struct {
		const char *action;
		int state;
		const char *blank; /* the field left empty */
		int rc, id;
	} cases[] = {
		{ "route", REC_FILED, "department", MC_EINVAL, MCE_REC_INCOMPLETE },
		{ "route", REC_FILED, "reason", MC_OK, 0 },
		{ "reroute", REC_ROUTED, "department", MC_EINVAL, MCE_REC_INCOMPLETE },
		{ "reroute", REC_ROUTED, "reason", MC_EINVAL, MCE_REC_INCOMPLETE },
		{ "answer", REC_ROUTED, "answer", MC_EINVAL, MCE_REC_INCOMPLETE },
		{ "answer", REC_ROUTED, "reason", MC_OK, 0 },
		{ "close", REC_ANSWERED, "reason", MC_OK, 0 },
		{ "reopen", REC_CLOSED, "reason", MC_EINVAL, MCE_REC_INCOMPLETE },
		{ "withdraw", REC_FILED, "reason", MC_EINVAL, MCE_REC_INCOMPLETE },
		{ "file", -1, "reason", MC_OK, 0 },
	};
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].action);
		int act = rec_action_parse(cases[i].action);
		rec_rec cur = at(cases[i].state, 1, "STP"), next;
		rec_req q = full_req(act, rec_actions[act].side, ROLE_ADMIN);
		if (strcmp(cases[i].blank, "department") == 0)
			q.department = " ";
		if (strcmp(cases[i].blank, "reason") == 0)
			q.reason = "";
		if (strcmp(cases[i].blank, "answer") == 0)
			q.answer = NULL;
		mc_err e;
		CHECK_INT(rec_apply(&cur, &q, &next, &e), cases[i].rc);
		if (cases[i].rc)
			CHECK_INT(e.id, cases[i].id);
	}
	T_CASE("effects");
	rec_rec none = at(-1, 0, "x"), next, after;
	rec_req q = full_req(REC_FILE, REC_COMMUNE, ROLE_LEADER);
	mc_err e;
	CHECK_INT(rec_apply(&none, &q, &next, &e), MC_OK);
	CHECK_INT(next.round, 1);
	CHECK_STR(next.department, "");
	q = full_req(REC_ROUTE, REC_PROVINCE, ROLE_SUPERVISOR);
	CHECK_INT(rec_apply(&next, &q, &after, &e), MC_OK);
	CHECK_STR(after.department, "SXD");
	/* A reroute to the department it is with is refused. */
	q = full_req(REC_REROUTE, REC_PROVINCE, ROLE_LEADER);
	CHECK_INT(rec_apply(&after, &q, &next, &e), MC_EINVAL);
	CHECK_INT(e.id, MCE_REC_SAME_DEPARTMENT);
	q.department = "STP";
	CHECK_INT(rec_apply(&after, &q, &next, &e), MC_OK);
	CHECK_STR(next.department, "STP");
	CHECK_INT(next.round, 1);
	/* A reopen: the next round, with the same department. */
	rec_rec closed = at(REC_CLOSED, 3, "STP");
	q = full_req(REC_REOPEN, REC_COMMUNE, ROLE_LEADER);
	q.department = "SXD"; /* ignored: the reopen goes back where it was */
	CHECK_INT(rec_apply(&closed, &q, &next, &e), MC_OK);
	CHECK_INT(next.round, 4);
	CHECK_STR(next.department, "STP");
	CHECK_INT(next.state, REC_ROUTED);
	/* An unknown action. */
	q.action = REC_N_ACTIONS;
	CHECK_INT(rec_apply(&closed, &q, &next, &e), MC_ENOTFOUND);
	CHECK_INT(e.id, MCE_REC_UNKNOWN_ACTION);
}

/* The other side's steps, every state of the copy that applies them, in
 * the copy's round (same), an older round (old) and a newer one (new).
 * Each row: the state after, or C for a conflict (the hub rejects the
 * event; the node skips the item), per state filed, routed, answered,
 * closed, withdrawn. */
#define C (-9)
static const struct {
	const char *action;
	int dround; /* the step's round minus the copy's */
	int after[REC_N_STATES];
} merges[] = {
	/* The province's steps on the commune's copy. */
	{ "route", 0, { REC_ROUTED, REC_ROUTED, REC_ANSWERED, REC_CLOSED, REC_WITHDRAWN } },
	{ "route", -1, { REC_FILED, REC_ROUTED, REC_ANSWERED, REC_CLOSED, REC_WITHDRAWN } },
	{ "route", 1, { C, C, C, C, C } },
	{ "reroute", 0, { REC_ROUTED, REC_ROUTED, REC_ANSWERED, REC_CLOSED, REC_WITHDRAWN } },
	{ "answer", 0, { REC_ANSWERED, REC_ANSWERED, REC_ANSWERED, REC_CLOSED, REC_WITHDRAWN } },
	{ "answer", -1, { REC_FILED, REC_ROUTED, REC_ANSWERED, REC_CLOSED, REC_WITHDRAWN } },
	{ "answer", 1, { C, C, C, C, C } },
	/* The commune's steps on the hub's copy. */
	{ "withdraw", 0, { REC_WITHDRAWN, REC_WITHDRAWN, REC_WITHDRAWN, C, REC_WITHDRAWN } },
	{ "withdraw", 1, { C, C, C, C, C } },
	{ "withdraw", -1, { C, C, C, C, C } },
	{ "close", 0, { C, C, REC_CLOSED, REC_CLOSED, C } },
	{ "close", 1, { C, C, C, C, C } },
	{ "reopen", 1, { C, C, REC_ROUTED, REC_ROUTED, C } },
	{ "reopen", 0, { C, REC_ROUTED, C, C, C } }, /* applied already */
	{ "reopen", 2, { C, C, C, C, C } },
};

static void test_merge(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(merges); i++) {
		int act = rec_action_parse(merges[i].action);
		T_CASE(merges[i].action);
		for (int s = 0; s < REC_N_STATES; s++) {
			rec_rec cur = at(s, 2, s == REC_FILED ? "" : "STP"), next = at(-1, 0, "");
			int round = cur.round + merges[i].dround, changed = -1;
			mc_err e;
			int rc = rec_merge(&cur, act, round, "SXD", &next, &changed, &e);
			if (merges[i].after[s] == C) {
				CHECK_INT(rc, MC_ECONFLICT);
				CHECK_INT(e.id, MCE_REC_WRONG_STATE);
				continue;
			}
			CHECK_INT(rc, MC_OK);
			CHECK_INT(next.state, merges[i].after[s]);
			/* A reopen moves the round; nothing else does. */
			CHECK_INT(next.round, act == REC_REOPEN ? round : cur.round);
			/* A route of the current round names the department, in
			 * any state (a fact kept even after a withdrawal). */
			int routes = (act == REC_ROUTE || act == REC_REROUTE) && merges[i].dround == 0;
			CHECK_STR(next.department, routes ? "SXD" : cur.department);
			CHECK_INT(changed, next.state != cur.state || next.round != cur.round ||
						   strcmp(next.department, cur.department) != 0);
		}
	}
	T_CASE("merge file");
	rec_rec cur = at(REC_FILED, 1, ""), next;
	mc_err e;
	CHECK_INT(rec_merge(&cur, REC_FILE, 1, NULL, &next, NULL, &e), MC_ECONFLICT);
	cur = at(-1, 0, "");
	CHECK_INT(rec_merge(&cur, REC_ROUTE, 1, "SXD", &next, NULL, &e), MC_ECONFLICT);
}

/* Both sides end in the same record whatever order the crossing steps
 * arrive in: a withdrawal that crossed a reroute and an answer. */
static void test_crossing(void)
{
	T_CASE("crossing");
	mc_err e;
	int ch;
	/* The hub: routed round 1 to STP, reroutes to SXD, answers; then the
	 * commune's withdrawal arrives. */
	rec_rec hub = at(REC_ROUTED, 1, "STP"), h2, h3, h4;
	rec_req q = full_req(REC_REROUTE, REC_PROVINCE, ROLE_LEADER);
	CHECK_INT(rec_apply(&hub, &q, &h2, &e), MC_OK);
	q = full_req(REC_ANSWER, REC_PROVINCE, ROLE_LEADER);
	CHECK_INT(rec_apply(&h2, &q, &h3, &e), MC_OK);
	CHECK_INT(rec_merge(&h3, REC_WITHDRAW, 1, NULL, &h4, &ch, &e), MC_OK);
	/* The commune: routed round 1 to STP, withdraws; then the reroute and
	 * the answer arrive. */
	rec_rec node = at(REC_ROUTED, 1, "STP"), n2, n3, n4;
	q = full_req(REC_WITHDRAW, REC_COMMUNE, ROLE_LEADER);
	CHECK_INT(rec_apply(&node, &q, &n2, &e), MC_OK);
	CHECK_INT(rec_merge(&n2, REC_REROUTE, 1, "SXD", &n3, &ch, &e), MC_OK);
	CHECK_INT(rec_merge(&n3, REC_ANSWER, 1, NULL, &n4, &ch, &e), MC_OK);
	CHECK_INT(h4.state, REC_WITHDRAWN);
	CHECK_INT(n4.state, h4.state);
	CHECK_INT(n4.round, h4.round);
	CHECK_STR(n4.department, h4.department);
	CHECK_STR(n4.department, "SXD");
}

int main(void)
{
	test_table();
	test_states();
	test_sides();
	test_roles();
	test_unit();
	test_needs();
	test_merge();
	test_crossing();
	return t_done();
}
