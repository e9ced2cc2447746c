/*
 * recommend.h - recommendations (kiến nghị) from the communes to the
 * province (issue 14; docs/recommendations.md). A commune files one on its
 * node; its event reaches the hub with the node's log; on the hub it is
 * routed to a department and answered there, and both steps go down to
 * that commune in its `recommendations` pull stream; the commune closes,
 * reopens or withdraws it, and those events go up again. Each side owns
 * its steps (core/rec.h); each write is one transaction with its event.
 */
#ifndef APP_RECOMMEND_H
#define APP_RECOMMEND_H

#include "app/app.h"

#define APP_REC_ANSWER_DAYS 15 /* default: working days from routing to the answer's due */
#define APP_REC_ANSWER_DAYS_MAX 90
#define APP_REC_TOPIC_MAX 300
#define APP_REC_CONTENT_MAX 20000
#define APP_REC_FIELD_MAX 200
#define APP_REC_REASON_MAX 2000
#define APP_REC_ANSWER_MAX 20000
#define APP_REC_DOCUMENT_MAX 100
#define APP_REC_LIST_MAX 500

/* A new recommendation. attachments: a JSON array of sha256 (or NULL). */
typedef struct {
	const char *topic;    /* required, one line */
	const char *content;  /* required */
	const char *field;    /* lĩnh vực: any text, or a field of the catalog; may be NULL */
	const char *concerns; /* the department it concerns: a unit of scope province */
	const json_t *attachments;
} app_rec_new;

/*
 * Files a recommendation on a commune's node (a leader or the
 * administrator): numbers it <agency>/KN-YYYY-NNNN (per commune and year,
 * atomically) and writes it with its recommendation.filed event. OUT: *out
 * the record as app_rec_get answers it.
 */
MC_MUST_USE int app_rec_file(app *a, const app_actor *by, const app_rec_new *q, mc_time now,
			     json_t **out, mc_err *e);

/* What a step takes; each field only where the step uses it (the HTTP
 * layer refuses the others). */
typedef struct {
	const char *department; /* route, reroute */
	const char *reason;     /* reroute, reopen, withdraw: required */
	const char *comment;    /* route, close: a note, optional */
	const char *answer;     /* answer: the text */
	const char *document;   /* answer: the answering document's number and symbol */
	const json_t *attachments; /* answer: sha256 array */
} app_rec_step;

/*
 * Takes step action ("route", "reroute", "answer" on the hub; "close",
 * "reopen", "withdraw" on the commune's node) on recommendation id, with
 * its event; on the hub the step also goes down to the commune. Errors:
 * MCE_REC_UNKNOWN_ACTION, MCE_REC_NOT_FOUND, MCE_REC_SIDE, MCE_ROLE,
 * MCE_REC_WRONG_STATE, MCE_REC_INCOMPLETE, MCE_UNIT_UNKNOWN, text checks.
 * OUT: *out the record after it.
 */
MC_MUST_USE int app_rec_act(app *a, const app_actor *by, const char *id, const char *action,
			    const app_rec_step *q, mc_time now, json_t **out, mc_err *e);

/*
 * One recommendation: its record, whether its answer is overdue, the
 * working time each stage took (or has taken so far) with this node's
 * calendar, its timeline (every step on both sides as applied here) and
 * the steps the caller may take now. On a hub, leaders, administrators and
 * supervisors see every commune's; other officers those routed to their
 * unit (MCE_ROLE otherwise). OUT: *out.
 */
MC_MUST_USE int app_rec_get(app *a, const app_actor *by, const char *id, mc_time now,
			    json_t **out, mc_err *e);

/* Filters of the list and the board; NULL or 0 leaves one out. */
typedef struct {
	const char *state;      /* a state, or "open" */
	const char *department; /* routed to */
	const char *agency;     /* the commune */
	const char *field;
	const char *q;          /* words of the id, topic, content, field (diacritics ignored) */
	const char *from, *to;  /* filed on these days (YYYY-MM-DD, inclusive) */
	int overdue;            /* only those whose answer is overdue */
	int limit, offset;      /* list only: limit 1..APP_REC_LIST_MAX (0: 50) */
} app_rec_filter;

/* A page of recommendations, newest first: {"items", "total", "offset",
 * "limit", "day_secs"}. MCE_REC_BAD_FIELD for a bad filter. */
MC_MUST_USE int app_rec_list(app *a, const app_actor *by, const app_rec_filter *f, mc_time now,
			     json_t **out, mc_err *e);

/*
 * The board (Bảng theo dõi kiến nghị; leaders, administrators and
 * supervisors): counts by state; open recommendations by department, by
 * commune and by department x commune; the overdue answers; the average
 * answer time in working days (routing, or the reopen, to the answer, each
 * round counted). OUT: *out.
 */
MC_MUST_USE int app_rec_board(app *a, const app_actor *by, const app_rec_filter *f, mc_time now,
			      json_t **out, mc_err *e);

/* The working days from routing to the answer's due (answer_days > 0 sets
 * it: an administrator of the hub, with a settings.recommendations event;
 * 0 reads it). OUT: *out {"answer_days"}. */
MC_MUST_USE int app_rec_settings(app *a, const app_actor *by, int answer_days, mc_time now,
				 json_t **out, mc_err *e);

/* ---- sync (hub.c and pull.c call these, inside their transactions) ---- */

/*
 * On the hub: a commune's recommendation.* event (seq of its chain) applied
 * to the hub's copy (owner agency). Sets *verdict ("applied", "stored" for
 * the commune's record of the province's own steps, "rejected") and for a
 * rejection *vcode (static) and vmsg. A reopen routes the recommendation
 * back to its department with a new answer due and tells the commune so.
 */
MC_MUST_USE int app_rec_hub_event(app *a, const char *agency, int64_t chain, int64_t seq,
				  const char *kind, const char *at, const json_t *payload,
				  mc_time now, const char **verdict, const char **vcode,
				  char *vmsg, size_t vmsg_size, mc_err *e);

/*
 * On a node: an item of the `recommendations` stream (the province routed
 * or answered one of this commune's recommendations) applied as an event
 * in this node's log. OUT: *seq that event; or why (why_size bytes) says
 * why the item cannot apply here (nothing written).
 */
MC_MUST_USE int app_rec_pull_item(app *a, const char *kind, const json_t *body, int64_t cursor,
				  const char *hash, mc_time now, int64_t *seq, char *why,
				  size_t why_size, mc_err *e);

#endif
