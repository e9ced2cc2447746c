/*
 * dsr.c - dossier life cycle (DESIGN §4, DOMAIN "National dossier status
 * codes"), the permission table, and what each transition does to the clock.
 *
 * Each rule taken from a legal text carries a LAW: tag; docs/law.md lists
 * them with their sources. "Form N" is the numbering of Circular
 * 03/2025/TT-VPCP Annex I, as DOMAIN.md "Forms" gives it.
 */
#include "dsr.h"

#define S(x) (1u << (x))
#define OPEN_STATES                                                                  \
	(S(DSR_SUBMITTED) | S(DSR_RECEIVED) | S(DSR_PROCESSING) | S(DSR_AWAITING_APPROVAL) | \
	 S(DSR_SUPPLEMENT) | S(DSR_AWAITING_PAYMENT))
#define R_ALL (ROLE_RECEPTION | ROLE_SPECIALIST | ROLE_LEADER | ROLE_ADMIN)

/* LAW: the national dossier status codes 1-10 used in data exchange with the
 * national portal (DOMAIN.md "National dossier status codes"; the text that
 * sets them is not named there): awaiting approval is a sub-state of 4. */
static const struct {
	const char *name, *label;
	int code;
} states[DSR_N_STATES] = {
	[DSR_SUBMITTED] = { "submitted", "Chờ tiếp nhận", 1 },
	[DSR_RECEIVED] = { "received", "Đã tiếp nhận", 2 },
	/* LAW: status 3 is "Không được tiếp nhận" (not received): the label
	 * the citizen and the exchange read (issue 10 item 1). */
	[DSR_REFUSED] = { "refused", "Không được tiếp nhận", 3 },
	[DSR_PROCESSING] = { "processing", "Đang xử lý", 4 },
	[DSR_AWAITING_APPROVAL] = { "awaiting_approval", "Chờ phê duyệt", 4 },
	[DSR_SUPPLEMENT] = { "supplement", "Chờ bổ sung", 5 },
	[DSR_AWAITING_PAYMENT] = { "awaiting_payment", "Chờ nộp phí", 6 },
	[DSR_WITHDRAWN] = { "withdrawn", "Đã rút hồ sơ", 7 },
	[DSR_STOPPED] = { "stopped", "Dừng xử lý", 8 },
	[DSR_RESULT_READY] = { "result_ready", "Có kết quả", 9 },
	[DSR_RETURNED] = { "returned", "Đã trả kết quả", 10 },
};

/* LAW: Decree 118/2025/NĐ-CP and Circular 03/2025/TT-VPCP: reception
 * (form 1, receipt and appointment), supplement (form 2), refusal (form 3),
 * apology (form 4) and stop (form 5) each have their own form and step; who
 * may take each step follows the one-stop split of work (DOMAIN.md "The
 * centre's staff and channels": the receiving officer receives and returns,
 * the specialist processes, the leader signs). The rows below tag their own
 * rules. */
const dsr_action_def dsr_actions[DSR_N_ACTIONS] = {
	[DSR_ACCEPT] = { DSR_ACCEPT, "accept", "Tiếp nhận", S(DSR_SUBMITTED), DSR_RECEIVED,
			 ROLE_RECEPTION | ROLE_ADMIN, 0 },
	/* LAW: Circular 03/2025/TT-VPCP form 3 (refusal): it states the reason.
	 * LAW: Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP (now
	 * Decree 118/2025/NĐ-CP), the reception step: the receiving officer
	 * refuses a dossier with the refusal notice instead of receiving it;
	 * status 3 is "not received". From received (2) it is the desk's second
	 * step (the dossier is recorded, then refused at the same sitting) and
	 * undoes the reception (dsr_apply); from processing it is "stopped" (8). */
	[DSR_REFUSE] = { DSR_REFUSE, "refuse", "Từ chối tiếp nhận",
			 S(DSR_SUBMITTED) | S(DSR_RECEIVED), DSR_REFUSED,
			 ROLE_RECEPTION | ROLE_ADMIN, DSR_NEED_COMMENT },
	/* LAW: Circular 03/2025/TT-VPCP form 2 (request to supplement): every
	 * missing or wrong item at once, with the reason (the comment). Asked
	 * before processing (from submitted or received) it is the reception
	 * step's request and no reception (dsr_apply). */
	[DSR_REQUEST_SUPPLEMENT] = { DSR_REQUEST_SUPPLEMENT, "request_supplement",
				     "Yêu cầu bổ sung",
				     S(DSR_SUBMITTED) | S(DSR_RECEIVED) | S(DSR_PROCESSING),
				     DSR_SUPPLEMENT, R_ALL, DSR_NEED_COMMENT | DSR_OWN_ONLY },
	[DSR_SUPPLEMENT_RECEIVED] = { DSR_SUPPLEMENT_RECEIVED, "supplement_received",
				      "Nhận hồ sơ bổ sung", S(DSR_SUPPLEMENT), -2,
				      ROLE_RECEPTION | ROLE_SPECIALIST | ROLE_ADMIN,
				      DSR_OWN_ONLY },
	[DSR_ASSIGN] = { DSR_ASSIGN, "assign", "Chuyển xử lý", S(DSR_RECEIVED), DSR_PROCESSING,
			 ROLE_RECEPTION | ROLE_LEADER | ROLE_ADMIN, DSR_NEED_USER },
	[DSR_REASSIGN] = { DSR_REASSIGN, "reassign", "Phân công lại",
			   S(DSR_PROCESSING) | S(DSR_AWAITING_APPROVAL), DSR_PROCESSING,
			   ROLE_LEADER | ROLE_ADMIN, DSR_NEED_USER },
	[DSR_REQUEST_PAYMENT] = { DSR_REQUEST_PAYMENT, "request_payment",
				  "Yêu cầu nộp phí, lệ phí", S(DSR_PROCESSING),
				  DSR_AWAITING_PAYMENT,
				  ROLE_SPECIALIST | ROLE_LEADER | ROLE_ADMIN, DSR_OWN_ONLY },
	[DSR_PAYMENT_RECEIVED] = { DSR_PAYMENT_RECEIVED, "payment_received", "Đã nộp phí",
				   S(DSR_AWAITING_PAYMENT), DSR_PROCESSING,
				   ROLE_RECEPTION | ROLE_SPECIALIST | ROLE_ADMIN, DSR_OWN_ONLY },
	[DSR_SUBMIT_APPROVAL] = { DSR_SUBMIT_APPROVAL, "submit_approval", "Trình phê duyệt",
				  S(DSR_PROCESSING), DSR_AWAITING_APPROVAL,
				  ROLE_SPECIALIST | ROLE_ADMIN, DSR_OWN_ONLY },
	[DSR_APPROVE] = { DSR_APPROVE, "approve", "Phê duyệt", S(DSR_AWAITING_APPROVAL),
			  DSR_RESULT_READY, ROLE_LEADER | ROLE_ADMIN, 0 },
	[DSR_SEND_BACK] = { DSR_SEND_BACK, "send_back", "Trả lại chuyên viên",
			    S(DSR_AWAITING_APPROVAL), DSR_PROCESSING, ROLE_LEADER | ROLE_ADMIN,
			    DSR_NEED_COMMENT },
	/* LAW: Circular 03/2025/TT-VPCP form 5 (notice of stopping) and status
	 * code 8: processing stops, with the reason. */
	[DSR_STOP] = { DSR_STOP, "stop", "Dừng xử lý",
		       S(DSR_RECEIVED) | S(DSR_PROCESSING) | S(DSR_AWAITING_APPROVAL) |
			       S(DSR_AWAITING_PAYMENT) | S(DSR_SUPPLEMENT),
		       DSR_STOPPED, ROLE_LEADER | ROLE_ADMIN, DSR_NEED_COMMENT },
	/* LAW: status code 7: withdrawn at the applicant's request, from any
	 * open state (DESIGN.md section 4). */
	[DSR_WITHDRAW] = { DSR_WITHDRAW, "withdraw", "Rút hồ sơ", OPEN_STATES, DSR_WITHDRAWN,
			   ROLE_RECEPTION | ROLE_ADMIN, 0 },
	/* LAW: Circular 03/2025/TT-VPCP form 4 (apology and extension): on a
	 * dossier whose clock runs; its rules are in check_args. */
	[DSR_APOLOGY] = { DSR_APOLOGY, "apology", "Xin lỗi và hẹn lại",
			  OPEN_STATES & ~S(DSR_SUBMITTED), -1,
			  ROLE_SPECIALIST | ROLE_LEADER | ROLE_ADMIN,
			  DSR_NEED_COMMENT | DSR_NEED_DUE | DSR_OWN_ONLY },
	[DSR_RETURN] = { DSR_RETURN, "return", "Trả kết quả", S(DSR_RESULT_READY), DSR_RETURNED,
			 ROLE_RECEPTION | ROLE_ADMIN, 0 },
	/* LAW: Decree 118/2025/NĐ-CP: reception regardless of administrative
	 * boundary within the province; ownership moves by transfer. */
	[DSR_TRANSFER] = { DSR_TRANSFER, "transfer", "Chuyển cơ quan khác",
			   OPEN_STATES & ~S(DSR_SUPPLEMENT), -1,
			   ROLE_RECEPTION | ROLE_LEADER | ROLE_ADMIN, DSR_NEED_AGENCY },
};

static const struct {
	int role;
	const char *name, *label;
} roles[] = {
	{ ROLE_RECEPTION, "reception", "Cán bộ tiếp nhận" },
	{ ROLE_SPECIALIST, "specialist", "Chuyên viên" },
	{ ROLE_LEADER, "leader", "Lãnh đạo" },
	{ ROLE_ADMIN, "admin", "Quản trị" },
	{ ROLE_SUPERVISOR, "supervisor", "Giám sát" },
};

const char *dsr_state_name(int s)
{
	return s >= 0 && s < DSR_N_STATES ? states[s].name : "";
}

const char *dsr_state_label_vi(int s)
{
	return s >= 0 && s < DSR_N_STATES ? states[s].label : "";
}

int dsr_state_code(int s)
{
	return s >= 0 && s < DSR_N_STATES ? states[s].code : 0;
}

int dsr_state_parse(const char *name)
{
	for (int i = 0; name && i < DSR_N_STATES; i++)
		if (strcmp(states[i].name, name) == 0)
			return i;
	return -1;
}

int dsr_state_is_open(int s)
{
	return s >= 0 && s < DSR_N_STATES && (OPEN_STATES & S(s)) != 0;
}

int dsr_action_parse(const char *name)
{
	for (int i = 0; name && i < DSR_N_ACTIONS; i++)
		if (strcmp(dsr_actions[i].name, name) == 0)
			return i;
	return -1;
}

const char *dsr_role_name(int role)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(roles); i++)
		if (roles[i].role == role)
			return roles[i].name;
	return "";
}

const char *dsr_role_label_vi(int role)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(roles); i++)
		if (roles[i].role == role)
			return roles[i].label;
	return "";
}

int dsr_role_parse(const char *name)
{
	for (size_t i = 0; name && i < MC_ARRAY_LEN(roles); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return 0;
}

int dsr_role_may(int role, int action)
{
	if (action < 0 || action >= DSR_N_ACTIONS)
		return 0;
	return (dsr_actions[action].roles & (unsigned)role) != 0;
}

/* LAW: Circular 03/2025/TT-VPCP form 1 (receipt and appointment): the
 * receipt states the legal processing time, the time received and the
 * appointment; the time runs from the acceptance of a valid dossier, which is
 * recorded apart from the online submission (DOMAIN.md "The centre's staff
 * and channels"). */
int dsr_start_clock(dsr_rec *r, mc_time t, const dsr_clock *clk, mc_err *e)
{
	mc_time due;
	int rc = dl_due(clk->sched, clk->hours, t, r->time_amount, r->time_unit, &due, e);
	if (rc)
		return rc;
	r->received_at = t;
	r->due_at = due;
	r->due_legal = due;
	return MC_OK;
}

/* LAW: DOMAIN.md "Periodic report Biểu II.06a" (pending: within time,
 * overdue) and "Deadlines in practice" (the clock stops while the applicant
 * supplements): an open dossier is overdue once now passes its due time,
 * never during a supplement wait. The officer's lists judge against due_at,
 * the appointment the applicant holds (an apology's new date); statistics
 * judge against due_legal (dsr_is_overdue_legal). */
static int overdue_against(const dsr_rec *r, mc_time due, mc_time now)
{
	/* A paused clock cannot run late, and an unreceived dossier has none. */
	if (!dsr_state_is_open(r->state) || r->state == DSR_SUPPLEMENT || due == 0)
		return 0;
	return now > due;
}

int dsr_is_overdue(const dsr_rec *r, mc_time now)
{
	return overdue_against(r, r->due_at, now);
}

/* LAW: DOMAIN.md "Deadlines in practice": an apology letter sets a new date
 * once; statistics still judge against the original (due_legal: the
 * original due time plus supplement pauses, DESIGN.md section 4). */
int dsr_is_overdue_legal(const dsr_rec *r, mc_time now)
{
	return overdue_against(r, r->due_legal, now);
}

/* LAW: Decree 61/2018/NĐ-CP art. 19 as amended by Decree 107/2021/NĐ-CP:
 * the apology letter is sent "chậm nhất 01 ngày trước ngày hết hạn" (at the
 * latest one day before the due date), counted here in working time with
 * the node's calendar as near due is (dl_near_due_before). */
int dsr_apology_timing(const dsr_rec *cur, mc_time now, const dsr_clock *clk, int *after_due,
		       int *short_notice, mc_err *e)
{
	mc_time near;
	int rc = dl_near_due_before(clk->sched, clk->hours, now, &near, e);
	if (rc)
		return rc;
	*after_due = cur->due_at != 0 && now >= cur->due_at;
	/* Due within one working day of now (or already past): the letter
	 * comes later than the decree asks. */
	*short_notice = cur->due_at != 0 && cur->due_at < near;
	return MC_OK;
}

/* Ends processing (result ready, refused, stopped, withdrawn).
 * LAW: DOMAIN.md "Deadlines in practice": an apology sets a new date once;
 * statistics still judge against the original (due_legal: the original due
 * time plus supplement pauses, DESIGN.md section 4).
 * LAW: Decision 766/QĐ-TTg (2022) indicator 2.1: a dossier with more than one
 * supplement request during processing counts as late. */
static void finish(dsr_rec *r, mc_time now)
{
	if (r->due_legal == 0) {
		/* Never received: processing never began, so it neither ends
		 * nor has a deadline to be judged by. */
		r->finished_at = 0;
		r->timeliness = 0;
		return;
	}
	r->finished_at = now;
	if (r->supplements_processing > 1)
		r->timeliness = DL_LATE;
	else
		r->timeliness = dl_timeliness(now, r->due_legal);
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == 0;
}

/* Resumes a paused clock: both due times move forward by the working time
 * that elapsed while the applicant was supplementing (DESIGN §4), counted
 * in whole minutes. Appointments are given to the minute; a request and a
 * receipt a few seconds apart at one sitting must not turn a 17:00
 * appointment into "07:00 the next working day".
 * LAW: DOMAIN.md "Deadlines in practice" (no article named there): while the
 * applicant supplements (form 2), the clock stops. */
static int resume_clock(dsr_rec *n, mc_time now, const dsr_clock *clk, mc_err *e)
{
	if (n->due_at == 0 || n->paused_at == 0)
		return MC_OK;
	int64_t paused = dl_working_secs(clk->sched, clk->hours, n->paused_at, now);
	paused -= paused % 60;
	int rc = dl_add_working(clk->sched, clk->hours, n->due_legal, paused, &n->due_legal, e);
	if (!rc)
		rc = dl_add_working(clk->sched, clk->hours, n->due_at, paused, &n->due_at, e);
	return rc;
}

/* Undoes a reception: the dossier was never received (no reception time, no
 * appointment, nothing to judge it by).
 * LAW: Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP (now Decree
 * 118/2025/NĐ-CP), the reception step: the receipt and appointment (form 1)
 * are issued only for a complete and valid dossier; one refused (form 3) or
 * sent back for a supplement (form 2) at the desk is not received (issue 10
 * items 1 and 2). */
static void unreceive(dsr_rec *n)
{
	n->received_at = 0;
	n->due_at = 0;
	n->due_legal = 0;
	n->paused_at = 0;
	n->finished_at = 0;
	n->timeliness = 0;
}

/* The messages name the action and the state by their codes in English and
 * by their labels in Vietnamese: both formats take all four, "%.0s" skips
 * one (printf's positional arguments may not leave a gap). */
static int check_args(const dsr_action_def *a, const dsr_rec *cur, const dsr_req *req,
		      mc_time now, mc_err *e)
{
	if ((a->needs & DSR_NEED_COMMENT) && blank(req->comment))
		return mc_fail(e, MCE_DOSSIER_ACTION_INCOMPLETE, "thao tác «%2$s» cần ghi lý do (comment)%1$.0s",
			       "action '%1$s' needs a comment (the reason)%2$.0s", a->name,
			       a->label_vi);
	if ((a->needs & DSR_NEED_USER) && blank(req->to_user))
		return mc_fail(e, MCE_DOSSIER_ACTION_INCOMPLETE, "thao tác «%2$s» cần chọn cán bộ được giao (to)%1$.0s",
			       "action '%1$s' needs the officer to assign (to)%2$.0s", a->name,
			       a->label_vi);
	if ((a->needs & DSR_NEED_AGENCY) && blank(req->to_agency))
		return mc_fail(e, MCE_DOSSIER_ACTION_INCOMPLETE, "thao tác «%2$s» cần chọn cơ quan nhận hồ sơ (to_agency)%1$.0s",
			       "action '%1$s' needs the agency to transfer to%2$.0s", a->name,
			       a->label_vi);
	if (a->action == DSR_TRANSFER && strcmp(req->to_agency, cur->agency) == 0)
		return mc_fail(e, MCE_DOSSIER_SAME_AGENCY, "hồ sơ đang thuộc chính cơ quan '%s'",
			       "dossier already belongs to agency '%s'", cur->agency);
	if (a->action == DSR_APOLOGY) {
		/* LAW: Decree 61/2018/NĐ-CP art. 19 as amended by Decree
		 * 107/2021/NĐ-CP; Circular 03/2025/TT-VPCP form 4 (apology and
		 * extension: original appointment, reason, new appointment);
		 * DOMAIN.md: it sets a new date once. The letter is owed even
		 * when the appointment has passed (issue 10 item 4): it is then
		 * made and marked late (dsr_apology_timing), not refused. */
		if (cur->apology_at)
			return mc_fail(e, MCE_DOSSIER_APOLOGY_EXISTS,
				       "hồ sơ này đã có văn bản xin lỗi và hẹn lại (chỉ được một lần)",
				       "an apology was already made for this dossier");
		if (cur->due_at == 0)
			return mc_fail(e, MCE_DOSSIER_NO_APPOINTMENT, "hồ sơ chưa có ngày hẹn trả",
				       "the dossier has no appointment yet");
		if (req->new_due <= cur->due_at || req->new_due <= now)
			return mc_fail(e, MCE_DOSSIER_APPOINTMENT_NOT_LATER,
				       "ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm lập văn bản",
				       "the new appointment must be later than the current one and than now");
	}
	return MC_OK;
}

int dsr_apply(const dsr_rec *cur, const dsr_req *req, mc_time now, const dsr_clock *clk,
	      dsr_rec *next, mc_err *e)
{
	if (req->action < 0 || req->action >= DSR_N_ACTIONS)
		return mc_fail(e, MCE_INVALID, "không có thao tác này", "unknown action");
	const dsr_action_def *a = &dsr_actions[req->action];
	if (cur->state < 0 || cur->state >= DSR_N_STATES || !(a->from & S(cur->state)))
		return mc_fail(e, MCE_DOSSIER_WRONG_STATE,
			       "hồ sơ đang ở trạng thái «%4$s», không thực hiện được thao tác «%3$s» "
			       "(có thể người khác vừa xử lý)%1$.0s%2$.0s",
			       "action '%1$s' is not allowed in state '%2$s'%3$.0s%4$.0s", a->name,
			       dsr_state_name(cur->state), a->label_vi,
			       dsr_state_label_vi(cur->state));
	int rc = check_args(a, cur, req, now, e);
	if (rc)
		return rc;

	dsr_rec n = *cur;
	switch (req->action) {
	case DSR_ACCEPT:
		rc = dsr_start_clock(&n, now, clk, e);
		break;
	case DSR_REQUEST_SUPPLEMENT:
		/* LAW: Decision 766/QĐ-TTg indicator 2.1 counts the requests
		 * made during processing (finish). */
		n.supplements++;
		if (cur->state == DSR_PROCESSING) {
			n.resume_state = cur->state;
			n.paused_at = now;
			n.supplements_processing++;
		} else {
			/* At reception: back to the desk, with no clock. */
			unreceive(&n);
			n.resume_state = DSR_SUBMITTED;
		}
		break;
	case DSR_SUPPLEMENT_RECEIVED:
		if (cur->received_at == 0) {
			/* The papers asked at the desk are complete: this is
			 * the reception, and the clock starts now. */
			rc = dsr_start_clock(&n, now, clk, e);
			n.state = DSR_RECEIVED;
		} else {
			rc = resume_clock(&n, now, clk, e);
			n.state = cur->resume_state >= 0 ? cur->resume_state : DSR_PROCESSING;
		}
		n.resume_state = -1;
		n.paused_at = 0;
		break;
	case DSR_ASSIGN:
	case DSR_REASSIGN:
		snprintf(n.assignee, sizeof n.assignee, "%s", req->to_user);
		break;
	case DSR_APOLOGY:
		n.apology_at = now;
		n.due_at = req->new_due;
		break;
	case DSR_TRANSFER:
		snprintf(n.agency, sizeof n.agency, "%s", req->to_agency);
		break;
	case DSR_RETURN:
		n.returned_at = now;
		break;
	case DSR_REFUSE:
		unreceive(&n);
		n.resume_state = -1;
		break;
	case DSR_STOP:
	case DSR_WITHDRAW:
	case DSR_APPROVE:
		/* A stop or withdrawal during a supplement wait ends the pause: the
		 * waiting time is not the office's, so the due time moves first. */
		if (cur->state == DSR_SUPPLEMENT)
			rc = resume_clock(&n, now, clk, e);
		n.paused_at = 0;
		n.resume_state = -1;
		finish(&n, now);
		break;
	default:
		break;
	}
	if (rc)
		return rc;
	if (a->to >= 0)
		n.state = a->to;
	*next = n;
	return MC_OK;
}
