/*
 * rep.c - Biểu II.06a cells and the Decision 766 formulas (rep.h).
 */
#include "core/rep.h"

#include "core/dl.h"

#define C(x) (1u << (x))

/* Biểu II.06a (Circular 01/2020/TT-VPCP's report annex, DOMAIN.md): the
 * columns after STT (1) and the row label (2). */
const rep_column rep_ii06a_columns[] = {
	{ "received", "Tổng số", C(REP_CARRIED) | C(REP_NEW_ONLINE) | C(REP_NEW_DIRECT) },
	{ "carried", "Số kỳ trước chuyển qua", C(REP_CARRIED) },
	{ "new_online", "Trực tuyến", C(REP_NEW_ONLINE) },
	{ "new_direct", "Trực tiếp, dịch vụ bưu chính", C(REP_NEW_DIRECT) },
	{ "resolved", "Tổng số", C(REP_EARLY) | C(REP_ON_TIME) | C(REP_LATE) },
	{ "early", "Trả trước hạn", C(REP_EARLY) },
	{ "on_time", "Trả đúng thời hạn", C(REP_ON_TIME) },
	{ "late", "Trả quá hạn", C(REP_LATE) },
	{ "pending", "Tổng số", C(REP_PENDING_IN_TIME) | C(REP_PENDING_OVERDUE) },
	{ "in_time", "Chưa đến hạn", C(REP_PENDING_IN_TIME) },
	{ "overdue", "Quá hạn", C(REP_PENDING_OVERDUE) },
};
const int rep_ii06a_n_columns = (int)MC_ARRAY_LEN(rep_ii06a_columns);

mc_time rep_end(mc_time to, mc_time now)
{
	return to <= now ? to : now + 1; /* the end is exclusive: now is in */
}

/* Past due at end: the due time as it stood then (pauses begun later had
 * not moved it); while a pause was under way the clock stood still, so the
 * dossier was overdue only if it was already when the pause began. */
static int overdue_at(const rep_fact *f, mc_time end)
{
	mc_time due = f->due_legal - f->added_after;
	if (f->span_at > 0)
		return f->span_at > due - f->span_added;
	return end > due;
}

unsigned rep_cells(const rep_fact *f, mc_time from, mc_time end)
{
	if (f->received <= 0 || f->received >= end)
		return 0;
	if (f->finished > 0 && f->finished < from)
		return 0; /* ended before the period */
	unsigned c = 0;
	if (f->received < from)
		c |= C(REP_CARRIED);
	else
		c |= f->online ? C(REP_NEW_ONLINE) : C(REP_NEW_DIRECT);
	if (f->finished > 0 && f->finished < end) {
		switch (f->timeliness) {
		case DL_EARLY:
			c |= C(REP_EARLY);
			break;
		case DL_ON_TIME:
			c |= C(REP_ON_TIME);
			break;
		default: /* an ended dossier without a verdict is counted late */
			c |= C(REP_LATE);
			break;
		}
	} else {
		c |= overdue_at(f, end) ? C(REP_PENDING_OVERDUE) : C(REP_PENDING_IN_TIME);
	}
	return c;
}

/* ---- Decision 766/QĐ-TTg: the indicators a commune's node can compute ----
 *
 * The one table of formulas: the API describes each from it and the UI
 * shows what the API says. DOMAIN.md gives the groups' points, 2.1's
 * points (20 × the ratio) and the thresholds of 3.3, 4.2 and 5.4; the
 * points of the other indicators are this project's reading of the
 * decision's annex, kept here so that one edit corrects them everywhere. */
#define SRC "QĐ 766/QĐ-TTg ngày 23/6/2022, Phụ lục, chỉ số "
const rep_indicator rep_766[] = {
	{ "1.4", 1, "Tỷ lệ hồ sơ có tiến độ giải quyết được đồng bộ lên hệ thống của tỉnh",
	  SRC "1.4", 6, 1.0, REP_F_RECEIVED | REP_F_SYNCED, 0, REP_F_RECEIVED, 0 },
	{ "2.1", 2, "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
	  SRC "2.1 (20 điểm × tỷ lệ)", 20, 1.0, REP_F_RESOLVED, REP_F_LATE, REP_F_RESOLVED, 0 },
	{ "3.3", 3, "Tỷ lệ hồ sơ nộp trực tuyến",
	  SRC "3.3 (đủ điểm khi ≥ 50%)", 6, 0.5, REP_F_RECEIVED | REP_F_ONLINE, 0, REP_F_RECEIVED,
	  0 },
	{ "3.6", 3, "Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến",
	  SRC "3.6", 4, 1.0, REP_F_RECEIVED | REP_F_FEE | REP_F_PAID_ONLINE, 0,
	  REP_F_RECEIVED | REP_F_FEE, 0 },
	{ "4.1", 4, "Tỷ lệ hồ sơ có kết quả giải quyết điện tử",
	  SRC "4.1", 8, 1.0, REP_F_RESOLVED | REP_F_RESULT | REP_F_RESULT_FILE, 0,
	  REP_F_RESOLVED | REP_F_RESULT, 0 },
	{ "4.2", 4, "Tỷ lệ hồ sơ được số hóa thành phần hồ sơ",
	  SRC "4.2 (đủ điểm khi ≥ 80%; không tính hồ sơ nộp trực tuyến)", 8, 0.8,
	  REP_F_RECEIVED | REP_F_DIGITIZED, REP_F_ONLINE, REP_F_RECEIVED, REP_F_ONLINE },
	{ "4.3", 4, "Tỷ lệ hồ sơ khai thác, sử dụng lại dữ liệu đã số hóa",
	  SRC "4.3", 6, 1.0, REP_F_RECEIVED | REP_F_REUSED, 0, REP_F_RECEIVED, 0 },
	{ "5.4", 5, "Mức độ hài lòng: 100% trừ tỷ lệ hồ sơ quá hạn và tỷ lệ không hài lòng",
	  SRC "5.4 (đủ điểm khi ≥ 90%)", 6, 0.9, REP_F_RESOLVED, REP_F_LATE | REP_F_UNSATISFIED,
	  REP_F_RESOLVED, 0 },
};
const int rep_766_n = (int)MC_ARRAY_LEN(rep_766);

const rep_group rep_766_groups[5] = {
	{ "Công khai, minh bạch", 18 },
	{ "Tiến độ giải quyết", 20 },
	{ "Dịch vụ công trực tuyến", 22 },
	{ "Số hóa hồ sơ", 22 },
	{ "Mức độ hài lòng", 18 },
};

unsigned rep_flags(const rep_fact *f, unsigned cells)
{
	unsigned fl = f->flags & ~(unsigned)(REP_F_RECEIVED | REP_F_RESOLVED | REP_F_LATE |
					     REP_F_ONLINE);
	if (cells & (C(REP_NEW_ONLINE) | C(REP_NEW_DIRECT)))
		fl |= REP_F_RECEIVED;
	if (cells & (C(REP_EARLY) | C(REP_ON_TIME) | C(REP_LATE)))
		fl |= REP_F_RESOLVED;
	if (cells & C(REP_LATE))
		fl |= REP_F_LATE;
	if (f->online)
		fl |= REP_F_ONLINE;
	return fl;
}

int rep_in(const rep_indicator *ind, unsigned flags, int num)
{
	unsigned all = num ? ind->num_all : ind->den_all;
	unsigned none = num ? ind->num_none : ind->den_none;
	return (flags & all) == all && (flags & none) == 0;
}

double rep_points(const rep_indicator *ind, int64_t num, int64_t den)
{
	if (den <= 0 || num < 0)
		return 0;
	double r = (double)num / (double)den;
	if (ind->full_at > 0)
		r /= ind->full_at;
	if (r > 1)
		r = 1;
	return ind->points * r;
}

const char *rep_flag_name(unsigned flag)
{
	static const char *names[] = { "received", "resolved", "late", "online", "result",
				       "result_file", "digitized", "reused", "fee",
				       "paid_online", "unsatisfied", "synced" };
	for (unsigned i = 0; i < MC_ARRAY_LEN(names); i++)
		if (flag == 1u << i)
			return names[i];
	return "";
}
