/*
 * rec.h - recommendations (kiến nghị) from a commune to the province: the
 * life cycle as one table, who may take each step (which side, which
 * roles), and how one side applies the steps the other side took
 * (docs/recommendations.md). Pure rules: the caller loads a record, asks
 * rec_apply (its own step) or rec_merge (the other side's) for the next
 * one, and stores it together with its event.
 *
 *   filed --route--> routed --answer--> answered --close--> closed
 *            (hub)     |  ^ (hub)          |  (commune)        |
 *                      |  '--reroute (hub) |                   |
 *                      '<----------- reopen (commune, reason) -'
 *   filed, routed --withdraw (commune)--> withdrawn
 */
#ifndef REC_H
#define REC_H

#include "mc.h"

/* States. */
enum {
	REC_FILED = 0, /* sent by the commune, not routed yet */
	REC_ROUTED,    /* with a department of the province, awaiting its answer */
	REC_ANSWERED,  /* the department answered; the commune may close or reopen */
	REC_CLOSED,    /* the commune accepted the answer */
	REC_WITHDRAWN, /* the commune withdrew it before any answer */
	REC_N_STATES
};

enum {
	REC_FILE = 0, /* creates the record: from no state */
	REC_ROUTE,
	REC_REROUTE,
	REC_ANSWER,
	REC_CLOSE,
	REC_REOPEN,
	REC_WITHDRAW,
	REC_N_ACTIONS
};

/* The side that owns an action: the commune's node or the province's hub. */
enum { REC_COMMUNE = 1, REC_PROVINCE = 2 };

/* What an action needs besides the actor. */
enum {
	REC_NEED_REASON = 1 << 0,     /* a reason (withdraw, reopen, reroute) */
	REC_NEED_DEPARTMENT = 1 << 1, /* the department routed to (route, reroute) */
	REC_NEED_ANSWER = 1 << 2,     /* the answer's text (answer) */
	REC_UNIT_MAY = 1 << 3,        /* an officer of the department routed to may act
				       * whatever their role */
};

typedef struct {
	int action;
	const char *name;     /* "route" */
	const char *label_vi; /* button text: "Chuyển sở, ngành" */
	const char *event;    /* "recommendation.routed" */
	unsigned from;        /* mask of states (1 << REC_*); 0 for file */
	int to;               /* the state after */
	int side;             /* REC_COMMUNE or REC_PROVINCE */
	unsigned roles;       /* mask of ROLE_* (core/dsr.h) allowed */
	unsigned needs;       /* REC_NEED_*, REC_UNIT_MAY */
} rec_action_def;

/* The one table, indexed by action. */
extern const rec_action_def rec_actions[REC_N_ACTIONS];

const char *rec_state_name(int state);     /* "routed" */
const char *rec_state_label_vi(int state); /* "Đã chuyển sở, ngành" */
int rec_state_parse(const char *name);     /* -1 if unknown */
int rec_action_parse(const char *name);    /* -1 if unknown */
/* The action an event kind records ("recommendation.routed" is route and
 * reroute: REC_ROUTE); -1 if none. */
int rec_action_of_event(const char *kind);
const char *rec_side_name(int side); /* "commune", "province" */
/* 1 if the state waits for the province (filed, routed). */
int rec_state_is_open(int state);

/* The part of a recommendation the rules read and write. */
typedef struct {
	int state;           /* REC_*; -1: none yet (before file) */
	int round;           /* 1 at filing, +1 at each reopen */
	char department[32]; /* the unit routed to; "" before routing */
} rec_rec;

typedef struct {
	int action;
	int side;               /* where it is taken: REC_COMMUNE on a node */
	int role;               /* ROLE_* of the actor */
	const char *unit;       /* the actor's unit ("" or NULL: none) */
	const char *department; /* route, reroute */
	const char *reason;     /* withdraw, reopen, reroute */
	const char *answer;     /* answer */
} rec_req;

/*
 * The record after the actor's own step req on cur. Checks in order: the
 * side (MCE_REC_SIDE, 403: the step belongs to the other side), the role
 * (MCE_ROLE, 403; an officer of the department routed to passes for
 * answer), the state (MCE_REC_WRONG_STATE, 409), what the step needs
 * (MCE_REC_INCOMPLETE, 400; MCE_REC_SAME_DEPARTMENT, 400 for a reroute to
 * the department it is with). On error *next is untouched. OUT: *next.
 */
MC_MUST_USE int rec_apply(const rec_rec *cur, const rec_req *req, rec_rec *next, mc_err *e);

/*
 * The record after a step the other side took and recorded (its event
 * arrived with sync): round is the round it was taken in (reopen: the new
 * round), department the one it names (route, reroute; may be NULL). Both
 * sides apply their own steps first and the other's as they arrive, so
 * every pair of histories ends in the same record (docs/recommendations.md,
 * "Both sides"):
 * - withdrawn is final: a route or answer that crossed the withdrawal is
 *   kept as a fact (the caller records it) and changes no state;
 * - a route or answer of an older round than cur's changes no state;
 * - a withdrawal that crossed an answer wins (the commune withdrew before it
 *   saw the answer).
 * A commune step the hub's copy cannot be at by any honest history (a close
 * of a recommendation never answered, say) is MCE_REC_WRONG_STATE (409),
 * and the hub rejects the event. A step repeated (the same round, already
 * in its state) leaves cur as it is. OUT: *next, *changed (may be NULL: 1
 * if the state, round or department changed).
 */
MC_MUST_USE int rec_merge(const rec_rec *cur, int action, int round, const char *department,
			  rec_rec *next, int *changed, mc_err *e);

#endif
