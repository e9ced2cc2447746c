/*
 * rec.c - the recommendation (kiến nghị) life cycle and its one table of
 * actions, sides and roles (rec.h; docs/recommendations.md).
 *
 * Who acts: a recommendation is a document of the commune's People's
 * Committee, so its leader (or the node's administrator) files, withdraws,
 * closes and reopens it. On the province's hub a leader, the administrator
 * or a supervisor routes it to the department it concerns; the department's
 * own officers (their unit is that department), a leader or the
 * administrator answer it.
 */
#include "rec.h"

#include <string.h>

#include "dsr.h"

#define S(x) (1u << (x))
#define COMMUNE_ROLES (ROLE_LEADER | ROLE_ADMIN)

static const struct {
	const char *name, *label;
} states[REC_N_STATES] = {
	[REC_FILED] = { "filed", "Đã gửi tỉnh" },
	[REC_ROUTED] = { "routed", "Đã chuyển sở, ngành" },
	[REC_ANSWERED] = { "answered", "Đã trả lời" },
	[REC_CLOSED] = { "closed", "Đã kết thúc" },
	[REC_WITHDRAWN] = { "withdrawn", "Đã rút" },
};

const rec_action_def rec_actions[REC_N_ACTIONS] = {
	[REC_FILE] = { REC_FILE, "file", "Gửi kiến nghị", "recommendation.filed", 0, REC_FILED,
		       REC_COMMUNE, COMMUNE_ROLES, 0 },
	[REC_ROUTE] = { REC_ROUTE, "route", "Chuyển sở, ngành", "recommendation.routed",
			S(REC_FILED), REC_ROUTED, REC_PROVINCE,
			ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR, REC_NEED_DEPARTMENT },
	/* A re-route keeps the answer's due time: the commune's wait does not
	 * start again because the province sent it to the wrong desk first. */
	[REC_REROUTE] = { REC_REROUTE, "reroute", "Chuyển sở, ngành khác", "recommendation.routed",
			  S(REC_ROUTED), REC_ROUTED, REC_PROVINCE,
			  ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR,
			  REC_NEED_DEPARTMENT | REC_NEED_REASON },
	[REC_ANSWER] = { REC_ANSWER, "answer", "Trả lời kiến nghị", "recommendation.answered",
			 S(REC_ROUTED), REC_ANSWERED, REC_PROVINCE, ROLE_LEADER | ROLE_ADMIN,
			 REC_NEED_ANSWER | REC_UNIT_MAY },
	[REC_CLOSE] = { REC_CLOSE, "close", "Kết thúc", "recommendation.closed", S(REC_ANSWERED),
			REC_CLOSED, REC_COMMUNE, COMMUNE_ROLES, 0 },
	/* Back to the department that answered, for a new answer. */
	[REC_REOPEN] = { REC_REOPEN, "reopen", "Kiến nghị lại", "recommendation.reopened",
			 S(REC_ANSWERED) | S(REC_CLOSED), REC_ROUTED, REC_COMMUNE, COMMUNE_ROLES,
			 REC_NEED_REASON },
	[REC_WITHDRAW] = { REC_WITHDRAW, "withdraw", "Rút kiến nghị", "recommendation.withdrawn",
			   S(REC_FILED) | S(REC_ROUTED), REC_WITHDRAWN, REC_COMMUNE, COMMUNE_ROLES,
			   REC_NEED_REASON },
};

const char *rec_state_name(int state)
{
	return state >= 0 && state < REC_N_STATES ? states[state].name : "";
}

const char *rec_state_label_vi(int state)
{
	return state >= 0 && state < REC_N_STATES ? states[state].label : "";
}

int rec_state_parse(const char *name)
{
	for (int i = 0; name && i < REC_N_STATES; i++)
		if (strcmp(states[i].name, name) == 0)
			return i;
	return -1;
}

int rec_action_parse(const char *name)
{
	for (int i = 0; name && i < REC_N_ACTIONS; i++)
		if (strcmp(rec_actions[i].name, name) == 0)
			return i;
	return -1;
}

int rec_action_of_event(const char *kind)
{
	for (int i = 0; kind && i < REC_N_ACTIONS; i++)
		if (strcmp(rec_actions[i].event, kind) == 0)
			return i; /* route before reroute: the first match */
	return -1;
}

const char *rec_side_name(int side)
{
	return side == REC_COMMUNE ? "commune" : side == REC_PROVINCE ? "province" : "";
}

int rec_state_is_open(int state)
{
	return state == REC_FILED || state == REC_ROUTED;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* The messages name the action and the state by their codes in English and
 * by their labels in Vietnamese: both formats take every argument, "%.0s"
 * skips one (printf's positional arguments may not leave a gap). */
static int wrong_state(const rec_action_def *d, int state, mc_err *e)
{
	if (state < 0)
		return mc_fail(e, MCE_REC_WRONG_STATE,
			       "kiến nghị chưa được gửi: không thể «%1$s»%2$.0s",
			       "the recommendation was not filed: cannot %2$s%1$.0s", d->label_vi,
			       d->name);
	return mc_fail(e, MCE_REC_WRONG_STATE,
		       "kiến nghị đang ở trạng thái «%1$s»: không thể «%2$s»%3$.0s%4$.0s",
		       "the recommendation is %3$s: cannot %4$s%1$.0s%2$.0s", states[state].label,
		       d->label_vi, states[state].name, d->name);
}

int rec_apply(const rec_rec *cur, const rec_req *req, rec_rec *next, mc_err *e)
{
	if (req->action < 0 || req->action >= REC_N_ACTIONS)
		return mc_fail(e, MCE_REC_UNKNOWN_ACTION, "không có thao tác này với kiến nghị",
			       "no such action on a recommendation");
	const rec_action_def *d = &rec_actions[req->action];
	if (req->side != d->side)
		return mc_fail(e, MCE_REC_SIDE,
			       d->side == REC_COMMUNE
				       ? "«%1$s» là việc của xã đã gửi kiến nghị, làm trên máy của xã%2$.0s"
				       : "«%1$s» là việc của tỉnh, làm trên máy chủ của tỉnh%2$.0s",
			       d->side == REC_COMMUNE
				       ? "%2$s is the filing commune's step, taken on its node%1$.0s"
				       : "%2$s is the province's step, taken on its hub%1$.0s",
			       d->label_vi, d->name);
	int unit_ok = (d->needs & REC_UNIT_MAY) && !blank(req->unit) && cur->department[0] &&
		      strcmp(req->unit, cur->department) == 0;
	if (!((unsigned)req->role & d->roles) && !unit_ok)
		return mc_fail(e, MCE_ROLE,
			       (d->needs & REC_UNIT_MAY)
				       ? "vai trò '%1$s' không được «%2$s»: chỉ cán bộ của sở, ngành được giao, lãnh đạo hoặc quản trị%3$.0s"
				       : "vai trò '%1$s' không được «%2$s»%3$.0s",
			       (d->needs & REC_UNIT_MAY)
				       ? "role '%1$s' may not %3$s: only the department's officers, a leader or an administrator%2$.0s"
				       : "role '%1$s' may not %3$s%2$.0s",
			       dsr_role_name(req->role), d->label_vi, d->name);
	if (req->action == REC_FILE ? cur->state != -1
				    : cur->state < 0 || !(d->from & S(cur->state)))
		return wrong_state(d, cur->state, e);
	if ((d->needs & REC_NEED_DEPARTMENT) && blank(req->department))
		return mc_fail(e, MCE_REC_INCOMPLETE, "«%1$s» cần chọn sở, ngành (department)%2$.0s",
			       "%2$s needs the department%1$.0s", d->label_vi, d->name);
	if ((d->needs & REC_NEED_REASON) && blank(req->reason))
		return mc_fail(e, MCE_REC_INCOMPLETE, "«%1$s» cần ghi lý do (reason)%2$.0s",
			       "%2$s needs a reason%1$.0s", d->label_vi, d->name);
	if ((d->needs & REC_NEED_ANSWER) && blank(req->answer))
		return mc_fail(e, MCE_REC_INCOMPLETE, "«%1$s» cần nội dung trả lời (answer)%2$.0s",
			       "%2$s needs the answer's text%1$.0s", d->label_vi, d->name);
	if (req->action == REC_REROUTE && strcmp(req->department, cur->department) == 0)
		return mc_fail(e, MCE_REC_SAME_DEPARTMENT,
			       "kiến nghị đang ở sở, ngành '%s': chọn nơi khác",
			       "the recommendation is with '%s' already", cur->department);
	rec_rec n = *cur;
	n.state = d->to;
	if (req->action == REC_FILE) {
		n.round = 1;
		n.department[0] = 0;
	}
	if (req->action == REC_REOPEN)
		n.round = cur->round + 1;
	if (d->needs & REC_NEED_DEPARTMENT)
		snprintf(n.department, sizeof n.department, "%s", req->department);
	*next = n;
	return MC_OK;
}

static int impossible(int action, const rec_rec *cur, int round, mc_err *e)
{
	const rec_action_def *d = &rec_actions[action];
	return mc_fail(e, MCE_REC_WRONG_STATE,
		       "không áp dụng được «%1$s» (lần %2$d) khi kiến nghị đang «%3$s» (lần %4$d)%5$.0s%6$.0s",
		       "%5$s (round %2$d) cannot apply to a recommendation %6$s (round %4$d)%1$.0s%3$.0s",
		       d->label_vi, round, states[cur->state].label, cur->round, d->name,
		       states[cur->state].name);
}

/* The province's step (route, reroute, answer) on the commune's copy. */
static int merge_province(const rec_rec *cur, int action, int round, const char *department,
			  rec_rec *n, mc_err *e)
{
	if (round > cur->round)
		return impossible(action, cur, round, e);
	if (round < cur->round)
		return MC_OK; /* an older round's: a fact, no state */
	if (action == REC_ROUTE || action == REC_REROUTE) {
		if (department && *department)
			snprintf(n->department, sizeof n->department, "%s", department);
		if (cur->state == REC_FILED)
			n->state = REC_ROUTED;
		return MC_OK;
	}
	if (cur->state == REC_FILED || cur->state == REC_ROUTED)
		n->state = REC_ANSWERED;
	return MC_OK;
}

/* The commune's step (withdraw, close, reopen) on the hub's copy. */
static int merge_commune(const rec_rec *cur, int action, int round, rec_rec *n, mc_err *e)
{
	switch (action) {
	case REC_WITHDRAW:
		if (round != cur->round || cur->state == REC_CLOSED)
			return impossible(action, cur, round, e);
		n->state = REC_WITHDRAWN;
		return MC_OK;
	case REC_CLOSE:
		if (round != cur->round || (cur->state != REC_ANSWERED && cur->state != REC_CLOSED))
			return impossible(action, cur, round, e);
		n->state = REC_CLOSED;
		return MC_OK;
	case REC_REOPEN:
		if (round == cur->round && cur->state == REC_ROUTED)
			return MC_OK; /* applied already */
		if (round != cur->round + 1 ||
		    (cur->state != REC_ANSWERED && cur->state != REC_CLOSED))
			return impossible(action, cur, round, e);
		n->state = REC_ROUTED;
		n->round = round;
		return MC_OK;
	}
	return impossible(action, cur, round, e);
}

int rec_merge(const rec_rec *cur, int action, int round, const char *department, rec_rec *next,
	      int *changed, mc_err *e)
{
	if (changed)
		*changed = 0;
	if (action <= REC_FILE || action >= REC_N_ACTIONS || cur->state < 0)
		return mc_fail(e, MCE_REC_WRONG_STATE, "không có kiến nghị để áp dụng thao tác",
			       "no recommendation to apply the step to");
	rec_rec n = *cur;
	int rc = rec_actions[action].side == REC_PROVINCE
			 ? merge_province(cur, action, round, department, &n, e)
			 : merge_commune(cur, action, round, &n, e);
	if (rc)
		return rc;
	if (changed)
		*changed = n.state != cur->state || n.round != cur->round ||
			   strcmp(n.department, cur->department) != 0;
	*next = n;
	return MC_OK;
}
