/*
 * dsr.h - the dossier state machine, roles and the one permission table.
 * Pure rules: the caller loads a record, asks dsr_apply for the next one,
 * and stores it together with its event.
 */
#ifndef DSR_H
#define DSR_H

#include "dl.h"

/* States; national status codes (DOMAIN.md) from dsr_state_code. */
enum {
	DSR_SUBMITTED = 0,     /* 1: submitted online, waiting for reception */
	DSR_RECEIVED,          /* 2 */
	DSR_REFUSED,           /* 3: not received */
	DSR_PROCESSING,        /* 4 */
	DSR_AWAITING_APPROVAL, /* 4: sub-state of processing */
	DSR_SUPPLEMENT,        /* 5: clock paused */
	DSR_AWAITING_PAYMENT,  /* 6 */
	DSR_WITHDRAWN,         /* 7 */
	DSR_STOPPED,           /* 8 */
	DSR_RESULT_READY,      /* 9 */
	DSR_RETURNED,          /* 10 */
	DSR_N_STATES
};

/* Roles, as bits so the permission table holds a mask. */
enum {
	ROLE_RECEPTION = 1 << 0,
	ROLE_SPECIALIST = 1 << 1,
	ROLE_LEADER = 1 << 2,
	ROLE_ADMIN = 1 << 3,
	ROLE_SUPERVISOR = 1 << 4,
};

enum {
	DSR_ACCEPT = 0,
	DSR_REFUSE,
	DSR_REQUEST_SUPPLEMENT,
	DSR_SUPPLEMENT_RECEIVED,
	DSR_ASSIGN,
	DSR_REASSIGN,
	DSR_REQUEST_PAYMENT,
	DSR_PAYMENT_RECEIVED,
	DSR_SUBMIT_APPROVAL,
	DSR_APPROVE,
	DSR_SEND_BACK,
	DSR_STOP,
	DSR_WITHDRAW,
	DSR_APOLOGY,
	DSR_RETURN,
	DSR_TRANSFER,
	DSR_N_ACTIONS
};

/* What an action needs besides the actor. */
enum {
	DSR_NEED_COMMENT = 1 << 0, /* a reason or instruction */
	DSR_NEED_USER = 1 << 1,    /* to_user: the specialist to assign */
	DSR_NEED_DUE = 1 << 2,     /* new_due: the apology's new appointment */
	DSR_NEED_AGENCY = 1 << 3,  /* to_agency: where ownership goes */
	DSR_OWN_ONLY = 1 << 4,     /* a specialist may act only as the assignee */
};

typedef struct {
	int action;
	const char *name;     /* "accept", "request_supplement", ... */
	const char *label_vi; /* Vietnamese button text */
	unsigned from;        /* mask of states (1 << DSR_*) it applies to */
	int to;               /* next state; -1 = unchanged; -2 = the state paused from
			       * (received for a supplement asked at reception) */
	unsigned roles;       /* mask of ROLE_* allowed */
	unsigned needs;       /* DSR_NEED_* */
} dsr_action_def;

/* The permission and transition table, indexed by action. */
extern const dsr_action_def dsr_actions[DSR_N_ACTIONS];

const char *dsr_state_name(int state);     /* "processing" */
const char *dsr_state_label_vi(int state); /* "Đang xử lý" */
int dsr_state_code(int state);             /* national code 1..10 */
int dsr_state_parse(const char *name);     /* -1 if unknown */
int dsr_state_is_open(int state);          /* not refused/withdrawn/stopped/ready/returned */
int dsr_action_parse(const char *name);    /* -1 if unknown */
const char *dsr_role_name(int role);       /* one bit -> "reception" */
int dsr_role_parse(const char *name);      /* -> bit, 0 if unknown */
const char *dsr_role_label_vi(int role);
/* 1 if role may perform action at all (the permission table). */
int dsr_role_may(int role, int action);

/* The part of a dossier the rules read and write. */
typedef struct {
	int state;
	int resume_state;    /* state to return to after a supplement; -1 none */
	double time_amount;  /* processing time of the procedure and channel */
	int time_unit;       /* DL_* */
	mc_time received_at; /* 0 until received; 0 again once refused or sent
			      * back for a supplement at reception */
	mc_time due_at;      /* appointment; 0 while the clock has not started */
	mc_time due_legal;   /* original due plus supplement pauses */
	mc_time paused_at;   /* start of the current supplement wait */
	int supplements;     /* supplement requests, all */
	int supplements_processing; /* supplement requests during processing */
	mc_time apology_at;  /* when the one apology was made; 0 none */
	mc_time finished_at; /* when processing ended */
	int timeliness;      /* DL_EARLY / DL_ON_TIME / DL_LATE; 0 while open */
	mc_time returned_at;
	char assignee[64];
	char agency[64]; /* owning agency */
} dsr_rec;

typedef struct {
	int action;
	const char *actor;     /* login */
	int role;              /* ROLE_* of the actor */
	const char *to_user;   /* DSR_ASSIGN, DSR_REASSIGN */
	const char *to_agency; /* DSR_TRANSFER */
	mc_time new_due;       /* DSR_APOLOGY */
	const char *comment;   /* reason / instruction / who collected */
} dsr_req;

/* Calendar and office hours the deadlines are counted with. */
typedef struct {
	const cal_sched *sched;
	const dl_hours *hours;
} dsr_clock;

/*
 * Computes the record after req at now. Checks the transition (state,
 * required arguments, apology rules) but not the role: the app layer does
 * that with dsr_role_may and its own scoping. On error *next is untouched
 * and e explains: MC_ECONFLICT for a wrong state, MC_EINVAL for a missing
 * or bad argument. OUT: *next.
 */
MC_MUST_USE int dsr_apply(const dsr_rec *cur, const dsr_req *req, mc_time now,
			  const dsr_clock *clk, dsr_rec *next, mc_err *e);

/* Starts the clock of a dossier accepted at t: received_at, due_at and
 * due_legal from its processing time. */
MC_MUST_USE int dsr_start_clock(dsr_rec *r, mc_time t, const dsr_clock *clk, mc_err *e);

/* 1 if an open dossier whose clock runs is past its appointment at now
 * (due_at: the officer's lists). */
int dsr_is_overdue(const dsr_rec *r, mc_time now);
/* The same against due_legal, the original due time plus supplement pauses
 * (an apology's new date does not count): what statistics use. */
int dsr_is_overdue_legal(const dsr_rec *r, mc_time now);

/* How an apology made at now on cur stands against the decree's time
 * limit. OUT: *after_due (1 if cur's appointment has passed), *short_notice
 * (1 if it is made later than one working day, in working time, before that
 * appointment; also when after_due). */
MC_MUST_USE int dsr_apology_timing(const dsr_rec *cur, mc_time now, const dsr_clock *clk,
				   int *after_due, int *short_notice, mc_err *e);

#endif
