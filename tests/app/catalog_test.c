/*
 * catalog_test.c - the portal-table parsers (core/catp) on text copied from
 * the national portal crawl (the procedure code is given for each), and
 * catalog_normalize / catalog_channel_time on crawl and clean objects.
 */
#include "app/catalog.h"
#include "core/catp.h"
#include "core/dl.h"
#include "t.h"

#define D CATP_DIRECT
#define O CATP_ONLINE
#define P CATP_POSTAL
#define OK CATP_TIME_OK
#define NONE CATP_TIME_NONE
#define MISSING CATP_TIME_MISSING
#define NOUNIT CATP_TIME_NOUNIT
#define BAD CATP_TIME_BAD
#define WD DL_WORKING_DAYS
#define WH DL_WORKING_HOURS
#define CD DL_CALENDAR_DAYS
#define SD DL_SAME_DAY

#define COLS "Hình thức nộpThời gianPhí, lệ phíMô tả"

/* ---- channels ---- */

typedef struct {
	int channel, status;
	double amount;
	int unit, inferred;
	const char *time_text, *fee, *note, *desc; /* note and desc: expected prefix */
} chan_exp;

static const struct {
	const char *label, *text;
	size_t n;
	int complete;
	chan_exp v[3]; /* the first entries */
} chan_cases[] = {
	{ "1.000253",
	  COLS "Trực tiếp7 NgàyKhông có thông tinNộp trực tiếp tại trụ sở Công an cấp xã", 1, 1,
	  { { D, OK, 7, CD, 0, "7 Ngày", "Không có thông tin", "",
	      "Nộp trực tiếp tại trụ sở Công an cấp xã" } } },
	{ "1.013653",
	  COLS "Trực tuyến1 Ngày làm việcMiễn phíDịch vụ bưu chính1 Ngày làm việcMiễn phíTrực tiếp1 "
	       "Ngày làm việcMiễn phí",
	  3, 1,
	  { { O, OK, 1, WD, 0, "1 Ngày làm việc", "Miễn phí", "", "" },
	    { P, OK, 1, WD, 0, "1 Ngày làm việc", "Miễn phí", "", "" },
	    { D, OK, 1, WD, 0, "1 Ngày làm việc", "Miễn phí", "", "" } } },
	{ "1.009060", COLS "Trực tuyến1 GiờMiễn phí", 1, 1,
	  { { O, OK, 1, WH, 0, "1 Giờ", "Miễn phí", "", "" } } },
	{ "1.008312",
	  COLS "Trực tuyếnKhông quy địnhMiễn phíQua Cổng DVC Quốc gia đối với các TTHC đã toàn trình và "
	       "được tích hợp, kết nối với Cổng dịch vụ công của Bộ Tài chính theo quy định về thực hiện "
	       "cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính/ các Hệ thống thông "
	       "tin điện tử, hệ thống thông tin giải quyết TTHC của Cục ThuếDịch vụ bưu chínhKhông quy "
	       "địnhMiễn phíThông qua dịch vụ bưu chính công ích theo quy định của Thủ tướng Chính phủ, "
	       "qua thuê dịch vụ của doanh nghiệp, cá nhân hoặc qua ủy quyền theo quy định của pháp "
	       "luậtTrực tiếpKhông quy địnhMiễn phíTại TTPVHCC cấp tỉnh, xã",
	  3, 1,
	  { { O, NONE, 0, -1, 0, "Không quy định", "Miễn phí", "", "Qua Cổng DVC Quốc gia đối với" },
	    { P, NONE, 0, -1, 0, "Không quy định", "Miễn phí", "", "Thông qua dịch vụ bưu chính" },
	    { D, NONE, 0, -1, 0, "Không quy định", "Miễn phí", "", "Tại TTPVHCC cấp tỉnh, xã" } } },
	{ "2.002235",
	  COLS "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng dịch vụ công quốc "
	       "giaDịch vụ bưu chínhKhông phải trả kết quả cho người nộp thuếMiễn phíThông qua dịch vụ "
	       "bưu chính công ích theo quy định của Thủ tướng Chính phủ, qua thuê dịch vụ của doanh "
	       "nghiệp, cá nhân hoặc qua ủy quyền theo quy định của pháp luậtTrực tiếpKhông phải trả kết "
	       "quả cho người nộp thuếMiễn phíTại TTPVHCC cấp tỉnh, xã",
	  3, 1,
	  { { O, NONE, 0, -1, 0, "Không phải trả kết quả cho người nộp thuế", "Miễn phí", "",
	      "Qua Cổng dịch vụ công quốc gia" } } },
	{ "1.014976",
	  COLS "Trực tiếpKhông Không có thông tinTại Trung tâm phục vụ hành chính công cấp tỉnh, xãDịch "
	       "vụ bưu chínhKhông Không có thông tinThông qua dịch vụ bưu chính công ích theo quy định "
	       "của Thủ tướng Chính phủ, qua thuê dịch vụ của doanh nghiệp, cá nhân hoặc qua ủy quyền "
	       "theo quy định của pháp luậtTrực tuyếnKhôngKhông có thông tinQua Cổng dịch vụ công Quốc "
	       "gia hoặc Ứng dụng định danh quốc gia theo quy định về thực hiện cơ chế một cửa, một cửa "
	       "liên thông trong giải quyết thủ tục hành chính",
	  3, 1,
	  { { D, NONE, 0, -1, 0, "Không", "Không có thông tin", "",
	      "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã" },
	    { P, NONE, 0, -1, 0, "Không", "Không có thông tin", "", "Thông qua dịch vụ" },
	    { O, NONE, 0, -1, 0, "Không", "Không có thông tin", "", "Qua Cổng dịch vụ công" } } },
	{ "2.000927",
	  COLS "Trực tiếpKhông có thông tin25,000 Việt Nam Đồng(/giao dịch)Trực tuyếnKhông có thông "
	       "tin25,000 Việt Nam Đồng(/giao dịch)Dịch vụ bưu chínhKhông có thông tin25,000 Việt Nam "
	       "Đồng(/giao dịch)",
	  3, 0,
	  { { D, MISSING, 0, -1, 0, "Không có thông tin", "25,000 Việt Nam Đồng", "/giao dịch", "" },
	    { O, MISSING, 0, -1, 0, "Không có thông tin", "25,000 Việt Nam Đồng", "/giao dịch", "" },
	    { P, MISSING, 0, -1, 0, "Không có thông tin", "25,000 Việt Nam Đồng", "/giao dịch", "" } } },
	/* a bare time glued to the fee; the note's 20.000 says where to cut */
	{ "1.000014",
	  COLS "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20.000 vnđ /tờ khai)", 2, 0,
	  { { O, NOUNIT, 1, -1, 0, "1", "20 VNĐ", "20.000 vnđ /tờ khai", "" },
	    { D, NOUNIT, 1, -1, 0, "1", "20 VNĐ", "20.000 vnđ /tờ khai", "" } } },
	/* ... and where nothing says where to cut, nothing is cut */
	{ "1.006429", COLS "Trực tuyến120 VNĐ", 1, 0, { { O, BAD, 0, -1, 0, "", "120 VNĐ", "", "" } } },
	{ "1.009093",
	  COLS "Trực tuyến1200 VNĐ(đối với phương tiện quá cảnh đường bộ (ô tô))Trực tiếp120 VNĐ(đối "
	       "với 1 tờ khai)",
	  2, 0,
	  { { O, BAD, 0, -1, 0, "", "1200 VNĐ", "đối với phương tiện quá cảnh đường bộ (ô tô)", "" },
	    { D, BAD, 0, -1, 0, "", "120 VNĐ", "đối với 1 tờ khai", "" } } },
	{ "1.007857",
	  COLS "Trực tuyến220 VNĐ(lệ phí hải quan 20.000 đồng/ tờ khai hải quan.)Trực tiếp2 GiờMiễn phí",
	  2, 0,
	  { { O, NOUNIT, 2, -1, 0, "2", "20 VNĐ", "lệ phí hải quan 20.000 đồng/ tờ khai hải quan.", "" },
	    { D, OK, 2, WH, 0, "2 Giờ", "Miễn phí", "", "" } } },
	/* birth registration: the portal gives "1" with no unit */
	{ "1.001193",
	  COLS "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí", 3, 0,
	  { { O, NOUNIT, 1, -1, 0, "1", "Miễn phí", "", "" },
	    { P, NOUNIT, 1, -1, 0, "1", "Miễn phí", "", "" },
	    { D, NOUNIT, 1, -1, 0, "1", "Miễn phí", "", "" } } },
	{ "1.009824",
	  COLS "Trực tiếpHệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi tự động "
	       "thông qua phương thức điện tử.Không có thông tinTại Trung tâm phục vụ hành chính công cấp "
	       "tỉnh, xãTrực tuyếnHệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi tự "
	       "động thông qua phương thức điện tử.Không có thông tinQua Cổng dịch vụ công Quốc gia hoặc "
	       "Ứng dụng định danh quốc gia theo quy định về thực hiện cơ chế một cửa, một cửa liên thông "
	       "trong giải quyết thủ tục hành chínhDịch vụ bưu chínhHệ thống giải quyết thủ tục hành "
	       "chính ngành Thuế thực hiện phản hồi tự động thông qua phương thức điện tửKhông có thông "
	       "tinThông qua dịch vụ bưu chính công ích theo quy định của Thủ tướng Chính phủ, qua thuê "
	       "dịch vụ của doanh nghiệp, cá nhân hoặc qua ủy quyền theo quy định của pháp luật",
	  3, 0,
	  { { D, BAD, 0, -1, 0,
	      "Hệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi tự động thông qua "
	      "phương thức điện tử.",
	      "Không có thông tin", "", "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã" } } },
	/* "((note )" is never closed */
	{ "1.009444",
	  COLS "Trực tuyến5 Ngày làm việc100,000 VNĐ((Phí Thẩm tra, thẩm định )Dịch vụ bưu chính5 Ngày "
	       "làm việc100,000 VNĐ((Phí Thẩm tra, thẩm định )Trực tiếp5 Ngày làm việc100,000 VNĐ((Phí "
	       "Thẩm tra, thẩm định)",
	  3, 1,
	  { { O, OK, 5, WD, 0, "5 Ngày làm việc", "100,000 VNĐ", "Phí Thẩm tra, thẩm định", "" },
	    { P, OK, 5, WD, 0, "5 Ngày làm việc", "100,000 VNĐ", "Phí Thẩm tra, thẩm định", "" },
	    { D, OK, 5, WD, 0, "5 Ngày làm việc", "100,000 VNĐ", "Phí Thẩm tra, thẩm định", "" } } },
	/* nested parentheses in the note; "+ Trực tuyến:" in the description is no new entry */
	{ "1.003133",
	  COLS "Trực tuyến1 Ngày làm việc5,000 Việt Nam Đồng(5.000đ/giấy thông hành (Thông tư số "
	       "25/2021/TT-BTC ngày 07/4/2021 của Bộ Tài chính).)+ Trực tuyến: nộp hồ sơ trực tuyến qua "
	       "Cổng Dịch vụ công quốc gia hoặc Cổng Dịch vụ công Bộ Công an.Trực tiếp1 Ngày làm việc40 "
	       "Việt Nam Đồng(4.000 đ/giấy thông hành (áp dụng đến hết ngày 31/12/2026 theo Thông tư số "
	       "64/2025/TT-BTC ngày 30/6/2025 của Bộ Tài chính).)+ Trực tiếp: nộp hồ sơ trực tiếp tại "
	       "Công an xã, phường, thị trấn tiếp giáp đường biên giới Việt Nam – Trung Quốc.",
	  2, 1,
	  { { O, OK, 1, WD, 0, "1 Ngày làm việc", "5,000 Việt Nam Đồng",
	      "5.000đ/giấy thông hành (Thông tư số 25/2021/TT-BTC ngày 07/4/2021 của Bộ Tài chính).",
	      "+ Trực tuyến: nộp hồ sơ trực tuyến qua Cổng Dịch vụ công quốc gia hoặc Cổng Dịch vụ công "
	      "Bộ Công an." },
	    { D, OK, 1, WD, 0, "1 Ngày làm việc", "40 Việt Nam Đồng", "4.000 đ/giấy thông hành (áp dụng",
	      "+ Trực tiếp: nộp hồ sơ trực tiếp tại Công an xã" } } },
	/* one channel, two cases */
	{ "1.012533",
	  COLS "Trực tiếp15 Ngày làm việcKhông có thông tinNộp hồ sơ trực tiếp cho Công an cấp xã (thời "
	       "hạn và địa điểm tiếp nhận hồ sơ theo thông báo tại kế hoạch tuyển chọn). - Niêm yết công "
	       "khai danh sách công dân dự tuyển: 15 ngày làm việc;Trực tiếp3 Ngày làm việcKhông có thông "
	       "tin- Trong thời hạn 03 ngày làm việc kể từ ngày lập biên bản xét tuyển, Công an cấp xã niêm "
	       "yết công khai biên bản xét tuyển và thông báo kết quả xét tuyển đến đến địa chỉ của công "
	       "dân dự tuyển.",
	  2, 1,
	  { { D, OK, 15, WD, 0, "15 Ngày làm việc", "Không có thông tin", "", "Nộp hồ sơ trực tiếp" },
	    { D, OK, 3, WD, 0, "3 Ngày làm việc", "Không có thông tin", "", "- Trong thời hạn 03" } } },
	/* "+ Trực tiếp tại cơ quan" inside a description */
	{ "1.003677",
	  COLS "Trực tuyến1 Ngày làm việcKhông có thông tin- Trường hợp thuộc quy định tại điểm c, điểm "
	       "d khoản 1 Điều 31 Luật Cư trú thì khai báo tạm vắng qua: + Trực tiếp tại cơ quan đăng ký "
	       "cư trú hoặc tại địa điểm tiếp nhận khai báo tạm vắng do cơ quan đăng ký cư trú quy định; "
	       "+ Ứng dụng trên thiết bị điện tử.Trực tuyến2 Ngày làm việcKhông có thông tin\ttrường hợp "
	       "phức tạp thì có thể kéo dài hơn nhưng không quá 02 ngày làm việc.",
	  2, 1,
	  { { O, OK, 1, WD, 0, "1 Ngày làm việc", "Không có thông tin", "", "- Trường hợp thuộc" },
	    { O, OK, 2, WD, 0, "2 Ngày làm việc", "Không có thông tin", "", "trường hợp phức tạp" } } },
	{ "3.000123", COLS "Trực tuyến2 NgàyMiễn phíDịch vụ bưu chính2 NgàyMiễn phí(Không)", 2, 1,
	  { { O, OK, 2, CD, 0, "2 Ngày", "Miễn phí", "", "" },
	    { P, OK, 2, CD, 0, "2 Ngày", "Miễn phí", "Không", "" } } },
	/* not in the crawl, but the portal's forms allow them */
	{ "same day", "Trực tiếpTrong ngàyMiễn phí", 1, 1,
	  { { D, OK, 1, SD, 0, "Trong ngày", "Miễn phí", "", "" } } },
	{ "fractions", COLS "Trực tuyến0,5 NgàyMiễn phíTrực tiếp1.5 giờ làm việcMiễn phí", 2, 1,
	  { { O, OK, 0.5, CD, 0, "0,5 Ngày", "Miễn phí", "", "" },
	    { D, OK, 1.5, WH, 0, "1.5 giờ làm việc", "Miễn phí", "", "" } } },
	{ "inferred",
	  COLS "Trực tiếp5Miễn phíTrong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ", 1, 1,
	  { { D, OK, 5, WD, 1, "5", "Miễn phí", "",
	      "Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ" } } },
	{ "inferred hours", "Trực tuyến4Miễn phíTrả kết quả sau 4 giờ", 1, 1,
	  { { O, OK, 4, WH, 1, "4", "Miễn phí", "", "Trả kết quả sau 4 giờ" } } },
	{ "not inferred", "Trực tiếp3Miễn phíTrả kết quả trong 05 ngày", 1, 0,
	  { { D, NOUNIT, 3, -1, 0, "3", "Miễn phí", "", "Trả kết quả trong 05 ngày" } } },
	{ "empty", "", 0, 0, { { 0 } } },
	{ "titles only", COLS, 0, 0, { { 0 } } },
	{ "no channel", "Nộp trực tiếp tại trụ sở Ủy ban nhân dân xã", 0, 0, { { 0 } } },
};

static void test_channels(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(chan_cases); i++) {
		catp_channels c;
		T_CASE(chan_cases[i].label);
		int complete = catp_channels_parse(chan_cases[i].text, &c);
		CHECK_INT(complete, chan_cases[i].complete);
		CHECK_INT(c.n, chan_cases[i].n);
		if (c.n)
			CHECK_INT(c.parsed + c.unparsed, c.n);
		CHECK_INT(c.parsed == c.n && c.n > 0, complete);
		for (size_t k = 0; k < c.n && k < 3; k++) {
			const chan_exp *x = &chan_cases[i].v[k];
			const catp_channel *g = &c.v[k];
			if (!x->time_text)
				break; /* not spelled out */
			CHECK_INT(g->channel, x->channel);
			CHECK_INT(g->time_status, x->status);
			CHECK_INT(g->has_time, x->status == OK);
			CHECK(g->amount == x->amount);
			CHECK_INT(g->unit, x->unit);
			CHECK_INT(g->inferred, x->inferred);
			CHECK_STR(g->time_text, x->time_text);
			CHECK_STR(g->fee, x->fee);
			CHECK(strncmp(g->fee_note, x->note, strlen(x->note)) == 0);
			CHECK(x->note[0] || !g->fee_note[0]);
			CHECK(strncmp(g->description, x->desc, strlen(x->desc)) == 0);
			CHECK(x->desc[0] || !g->description[0]);
		}
		catp_channels_release(&c);
	}
	T_CASE("channel names");
	CHECK_STR(catp_channel_name(CATP_POSTAL), "postal");
	CHECK_STR(catp_channel_name(7), "");
	CHECK_INT(catp_channel_parse("online"), CATP_ONLINE);
	CHECK_INT(catp_channel_parse("Online"), -1);
}

/* ---- components ---- */

#define TABLE "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

typedef struct {
	const char *group, *name, *form, *form_code, *quantity;
	int originals, copies;
} comp_exp;

static const struct {
	const char *label, *text;
	size_t n;
	int complete;
	int first; /* index of v[0] among the rows */
	comp_exp v[3];
} comp_cases[] = {
	{ "1.000253",
	  "--" TABLE "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)101-Mau A17 tam tru cho "
	  "nguoi nuoc ngoai.doc1 bản chính",
	  1, 1, 0,
	  { { "", "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)",
	      "101-Mau A17 tam tru cho nguoi nuoc ngoai.doc", "mẫu NA17", "1 bản chính", 1, 0 } } },
	{ "1.013227",
	  "--" TABLE "Đơn đề nghị gia hạn giấy phép xây dựng theo Mẫu số 2 Phụ lục số II Nghị định số "
	  "175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ1 bản chínhBản chính giấy phép xây dựng đã được "
	  "cấp theo quy định1 bản chính",
	  2, 1, 0,
	  { { "", "Đơn đề nghị gia hạn giấy phép xây dựng theo Mẫu số 2 Phụ lục số II Nghị định số "
		  "175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ",
	      "", "Mẫu số 2", "1 bản chính", 1, 0 },
	    { "", "Bản chính giấy phép xây dựng đã được cấp theo quy định", "", "", "1 bản chính", 1,
	      0 } } },
	/* "Mẫu số 18" + "1 bản chính,1 bản sao" */
	{ "1.012796",
	  "--" TABLE "Bản gốc Giấy chứng nhận đã cấp.1 bản chính,1 bản saoVăn bản về việc ủy quyền theo "
	  "quy định của pháp luật về dân sự đối với trường hợp thực hiện thủ tục thông qua người đại "
	  "diện.1 bản chính,1 bản saoĐơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số "
	  "181 bản chính,1 bản sao",
	  3, 1, 0,
	  { { "", "Bản gốc Giấy chứng nhận đã cấp.", "", "", "1 bản chính,1 bản sao", 1, 1 },
	    { "", "Văn bản về việc ủy quyền theo quy định của pháp luật về dân sự đối với trường hợp "
		  "thực hiện thủ tục thông qua người đại diện.",
	      "", "", "1 bản chính,1 bản sao", 1, 1 },
	    { "", "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số 18", "",
	      "Mẫu số 18", "1 bản chính,1 bản sao", 1, 1 } } },
	/* "(01 bản chính)" and "tạm nhập 01 bản chính (nếu có)" are prose */
	{ "1.007881",
	  "--" TABLE "+ Xuất trình giấy phép của cơ quan quản lý chuyên ngành khi tạm nhập 01 bản chính "
	  "(nếu có).0 bản chính+ Văn bản đề nghị xin tái xuất (01 bản chính)0 bản chính+ Văn bản đề "
	  "nghị xin tái xuất (01 bản chính)0 bản chính",
	  3, 1, 0,
	  { { "", "Xuất trình giấy phép của cơ quan quản lý chuyên ngành khi tạm nhập 01 bản chính (nếu "
		  "có).",
	      "", "", "0 bản chính", 0, 0 },
	    { "", "Văn bản đề nghị xin tái xuất (01 bản chính)", "", "", "0 bản chính", 0, 0 } } },
	{ "1.000020",
	  "--" TABLE "Giấy phép xuất khẩu đối với hàng hóa phải có giấy phép nhập khẩu: 01 bản chính1 "
	  "bản chínhHợp đồng bán hàng, phụ lục hợp đồng (nếu có)0 bản chính,1 bản sao",
	  2, 1, 0,
	  { { "", "Giấy phép xuất khẩu đối với hàng hóa phải có giấy phép nhập khẩu: 01 bản chính", "",
	      "", "1 bản chính", 1, 0 },
	    { "", "Hợp đồng bán hàng, phụ lục hợp đồng (nếu có)", "", "", "0 bản chính,1 bản sao", 0,
	      1 } } },
	/* sub-tables with headings; template files glued to the names */
	{ "1.004036",
	  "* Giấy tờ phải nộp để lưu giữ tại cơ quan đăng ký phương tiện:" TABLE "Biên lai nộp lệ phí "
	  "trước bạ (bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử được chứng thực từ bản "
	  "chính hoặc bản sao điện tử được cấp từ sổ gốc) đối với phương tiện thuộc diện phải nộp lệ "
	  "phí trước bạ1 bản chính,1 bản saoĐơn đề nghị đăng ký phương tiện thủy nội địa theo quy "
	  "địnhMauon (2).docx1 bản chínhBản kê khai điều kiện an toàn của phương tiện thủy nội địa "
	  "theo quy định đối với phương tiện không thuộc diện đăng kiểmMauBankekhai.docx1 bản chính* "
	  "Xuất trình hoặc gửi bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử được chứng "
	  "thực từ bản chính hoặc bản sao điện tử được cấp từ sổ gốc các loại giấy tờ sau đây để cơ "
	  "quan đăng ký phương tiện kiểm tra:" TABLE "Giấy tờ chứng minh được phép hoạt động và có trụ "
	  "sở tại Việt Nam đối với tổ chức nước ngoài hoặc giấy tờ chứng minh được phép cư trú tại Việt "
	  "Nam đối với cá nhân nước ngoài;1 bản chính,1 bản sao",
	  4, 1, 1,
	  { { "* Giấy tờ phải nộp để lưu giữ tại cơ quan đăng ký phương tiện:",
	      "Đơn đề nghị đăng ký phương tiện thủy nội địa theo quy định", "Mauon (2).docx", "",
	      "1 bản chính", 1, 0 },
	    { "* Giấy tờ phải nộp để lưu giữ tại cơ quan đăng ký phương tiện:",
	      "Bản kê khai điều kiện an toàn của phương tiện thủy nội địa theo quy định đối với phương "
	      "tiện không thuộc diện đăng kiểm",
	      "MauBankekhai.docx", "", "1 bản chính", 1, 0 },
	    { "* Xuất trình hoặc gửi bản chính hoặc bản sao có chứng thực hoặc bản sao điện tử được "
	      "chứng thực từ bản chính hoặc bản sao điện tử được cấp từ sổ gốc các loại giấy tờ sau đây "
	      "để cơ quan đăng ký phương tiện kiểm tra:",
	      "Giấy tờ chứng minh được phép hoạt động và có trụ sở tại Việt Nam đối với tổ chức nước "
	      "ngoài hoặc giấy tờ chứng minh được phép cư trú tại Việt Nam đối với cá nhân nước ngoài",
	      "", "", "1 bản chính,1 bản sao", 1, 1 } } },
	/* file names after a legal number: "NĐ-CPMus142.docx", "TT-BTC01-LP.docx" */
	{ "1.007919",
	  "--" TABLE ".Bản sao quyết định phê duyệt dự án đầu tư hoặc kế hoạch vốn được giao đối với "
	  "hoạt động sử dụng kinh phí ngân sách nhà nước và các tài liệu khác có liên quan0 bản chính,1 "
	  "bản saoTờ trình đề nghị phê duyệt thiết kế, dự toán theo Mẫu số 13 Phụ lục ban hành kèm theo "
	  "Nghị định số 58/2024/NĐ-CPMus132.docx1 bản chínhThuyết minh thiết kế bao gồm dự toán và bản "
	  "đồ thiết kế công trình lâm sinh theo Mẫu số 14 Phụ lục ban hành kèm theo Nghị định số "
	  "58/2024/NĐ-CPMus142.docx1 bản chính",
	  3, 1, 0,
	  { { "", "Bản sao quyết định phê duyệt dự án đầu tư hoặc kế hoạch vốn được giao đối với hoạt "
		  "động sử dụng kinh phí ngân sách nhà nước và các tài liệu khác có liên quan",
	      "", "", "0 bản chính,1 bản sao", 0, 1 },
	    { "", "Tờ trình đề nghị phê duyệt thiết kế, dự toán theo Mẫu số 13 Phụ lục ban hành kèm "
		  "theo Nghị định số 58/2024/NĐ-CP",
	      "Mus132.docx", "Mẫu số 13", "1 bản chính", 1, 0 } } },
	{ "1.008325",
	  "++ Đối với khai phí, lệ phí khác thuộc ngân sách nhà nước:" TABLE "Tờ khai phí theo mẫu số "
	  "01/PH01-PH.doc1 bản chínhTờ khai lệ phí theo mẫu số 01/LP tại Phụ lục II ban hành kèm theo "
	  "Thông tư số 80/2021/TT-BTC01-LP.docx1 bản chính",
	  2, 1, 1,
	  { { "++ Đối với khai phí, lệ phí khác thuộc ngân sách nhà nước:",
	      "Tờ khai lệ phí theo mẫu số 01/LP tại Phụ lục II ban hành kèm theo Thông tư số "
	      "80/2021/TT-BTC",
	      "01-LP.docx", "mẫu số 01/LP", "1 bản chính", 1, 0 } } },
	{ "1.010385",
	  "--" TABLE "01 đơn trình báo mất hộ chiếu phổ thông (mẫu TK05) ban hành kèm theo Thông tư số "
	  "31/2023/TT-BCA ngày 20/7/2023 của Bộ Công an. Đối với người mất năng lực hành vi dân sự, có "
	  "khó khăn trong nhận thức và làm chủ hành vi, người chưa đủ 14 tuổi thì người đại diện hợp "
	  "pháp khai và ký thay.Mẫu TK05 báo mất HC 05 7 TK05 MỚI.doc1 bản chính",
	  1, 1, 0,
	  { { "", "01 đơn trình báo mất hộ chiếu phổ thông (mẫu TK05) ban hành kèm theo Thông tư số "
		  "31/2023/TT-BCA ngày 20/7/2023 của Bộ Công an. Đối với người mất năng lực hành vi dân "
		  "sự, có khó khăn trong nhận thức và làm chủ hành vi, người chưa đủ 14 tuổi thì người đại "
		  "diện hợp pháp khai và ký thay.",
	      "Mẫu TK05 báo mất HC 05 7 TK05 MỚI.doc", "mẫu TK05", "1 bản chính", 1, 0 } } },
	/* two tables; numbered names kept as written */
	{ "2.002226",
	  "- Trường hợp người đại diện theo ủy quyền của tổ hợp tác nộp thông báo thì cần có: " TABLE
	  "(1) Giấy thông báo thành lập tổ hợp tác;1 bản chính(2) Hợp đồng hợp tác;1 bản chính(3) Văn "
	  "bản ủy quyền của một trăm phần trăm (100 %) tổng số thành viên tổ hợp tác.1 bản chính- "
	  "Trường hợp tổ trưởng tổ hợp tác nộp thông báo thì cần có: " TABLE "(2) Hợp đồng hợp tác;1 bản "
	  "chính1) Giấy thông báo thành lập tổ hợp tác;1 bản chính(3) Biên bản cuộc họp tổ hợp tác về "
	  "việc bầu tổ trưởng.1 bản chính",
	  6, 1, 2,
	  { { "- Trường hợp người đại diện theo ủy quyền của tổ hợp tác nộp thông báo thì cần có:",
	      "(3) Văn bản ủy quyền của một trăm phần trăm (100 %) tổng số thành viên tổ hợp tác.", "",
	      "", "1 bản chính", 1, 0 },
	    { "- Trường hợp tổ trưởng tổ hợp tác nộp thông báo thì cần có:", "(2) Hợp đồng hợp tác", "",
	      "", "1 bản chính", 1, 0 },
	    { "- Trường hợp tổ trưởng tổ hợp tác nộp thông báo thì cần có:",
	      "1) Giấy thông báo thành lập tổ hợp tác", "", "", "1 bản chính", 1, 0 } } },
	/* rows without a name in the source */
	{ "6.006597",
	  "--" TABLE "Đề án chuyển nhượng có thời hạn quyền khai thác tài sản theo Mẫu số 03 Phụ lục kèm "
	  "theo Thông tư số 67/2025/TT-BXDMẫu số 03 (1).docx1 bản chínhDự thảo Quyết định phê duyệt đề "
	  "án chuyển nhượng có thời hạn quyền khai thác tài sản theo quy định tại khoản 3 Điều 7 Thông tư "
	  "số 67/2025/TT-BXD1 bản chính1 bản chính",
	  3, 0, 0,
	  { { "", "Đề án chuyển nhượng có thời hạn quyền khai thác tài sản theo Mẫu số 03 Phụ lục kèm "
		  "theo Thông tư số 67/2025/TT-BXD",
	      "Mẫu số 03 (1).docx", "Mẫu số 03", "1 bản chính", 1, 0 },
	    { "", "Dự thảo Quyết định phê duyệt đề án chuyển nhượng có thời hạn quyền khai thác tài sản "
		  "theo quy định tại khoản 3 Điều 7 Thông tư số 67/2025/TT-BXD",
	      "", "", "1 bản chính", 1, 0 },
	    { "", "", "", "", "1 bản chính", 1, 0 } } },
	/* the crawler put the end of the steps here */
	{ "1.001521",
	  "); nộp hồ sơ cho cơ quan BHXH nơi đang chi trả trợ cấp (đối với trường hợp đang hưởng trợ cấp "
	  "hàng tháng); trường hợp đã hưởng trợ cấp TNLĐ, BNN một lần thì nộp hồ sơ cho cơ quan "
	  "BHXH.\nBước 2. Cơ quan",
	  0, 0, 0, { { 0 } } },
	{ "quantity fields", "--" TABLE "Tờ khai đăng ký khai sinhBản chính: 1 Bản sao: 0Giấy chứng "
			     "sinhBản chính: 1, Bản sao: 2",
	  2, 1, 0,
	  { { "", "Tờ khai đăng ký khai sinh", "", "", "Bản chính: 1 Bản sao: 0", 1, 0 },
	    { "", "Giấy chứng sinh", "", "", "Bản chính: 1, Bản sao: 2", 1, 2 } } },
	{ "trailing text", "--" TABLE "Đơn đề nghị1 bản chínhGhi chú không có số lượng", 1, 0, 0,
	  { { "", "Đơn đề nghị", "", "", "1 bản chính", 1, 0 } } },
	{ "empty", "", 0, 0, 0, { { 0 } } },
};

static void test_components(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(comp_cases); i++) {
		catp_components c;
		T_CASE(comp_cases[i].label);
		int complete = catp_components_parse(comp_cases[i].text, &c);
		CHECK_INT(complete, comp_cases[i].complete);
		CHECK_INT(c.n, comp_cases[i].n);
		for (size_t k = 0; k < 3 && comp_cases[i].first + k < c.n; k++) {
			const comp_exp *x = &comp_cases[i].v[k];
			const catp_component *g = &c.v[comp_cases[i].first + k];
			if (!x->quantity)
				break;
			CHECK_STR(g->group, x->group);
			CHECK_STR(g->name, x->name);
			CHECK_STR(g->form, x->form);
			CHECK_STR(g->form_code, x->form_code);
			CHECK_STR(g->quantity, x->quantity);
			CHECK_INT(g->originals, x->originals);
			CHECK_INT(g->copies, x->copies);
		}
		catp_components_release(&c);
	}
	catp_components c;
	T_CASE("leftover");
	CHECK_INT(catp_components_parse("--" TABLE "Đơn đề nghị1 bản chínhGhi chú", &c), 0);
	CHECK_STR(c.leftover, "Ghi chú");
	CHECK_INT(c.parsed, 1);
	CHECK_INT(c.unparsed, 1);
	catp_components_release(&c);
}

/* ---- results ---- */

static const struct {
	const char *label, *text;
	size_t n;
	int complete;
	const char *name[2], *code[2];
} res_cases[] = {
	{ "1.000253",
	  "Phiếu khai báo tạm trú được cơ quan Công an xác nhận và các thông tin khai báo tạm trú đã "
	  "được tiếp nhận ghi vào sổ trực ban của Công an cấp xã.Mã: KQ.G01.00263Từ khóaKhông có thông "
	  "tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành "
	  "phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển thị những cơ quan đã áp dụng dịch vụ "
	  "công trực tuyếnNộp hồ sơ",
	  1, 1,
	  { "Phiếu khai báo tạm trú được cơ quan Công an xác nhận và các thông tin khai báo tạm trú đã "
	    "được tiếp nhận ghi vào sổ trực ban của Công an cấp xã." },
	  { "KQ.G01.00263" } },
	{ "1.001521",
	  "Quyết định về việc hưởng trợ cấp TNLĐ, BNN hàng tháng hoặc một lần do vết thương tái phát "
	  "(Các mẫu 03E-HSB, 03G-HSB, 03H-HSB, 03K-HSB) và Quyết định về việc cấp tiền mua PTTGSH (mẫu "
	  "03P-HSB) (nếu có)Mã: KQ.G24.000059Tiền trợ cấpMã: KQ.G24.000053Bản quá trình đóng BHXH (Mẫu "
	  "04-HSB)Mã: KQ.G24.000057Thẻ BHYT đối với trường hợp nghỉ việc hưởng trợ cấp TNLĐ, BNN hàng "
	  "thángMã: KQ.G24.000060Thông báo về việc chi trả lương hưu, trợ cấp BHXH đối với trường hợp di "
	  "chuyển hưởng chế độ  BHXH tại huyện/tỉnh khác (Mẫu 23-HSB)Mã: KQ.G24.000061Từ khóaKhông có "
	  "thông tinMô tảKhông có thông tin",
	  5, 1,
	  { "Quyết định về việc hưởng trợ cấp TNLĐ, BNN hàng tháng hoặc một lần do vết thương tái phát "
	    "(Các mẫu 03E-HSB, 03G-HSB, 03H-HSB, 03K-HSB) và Quyết định về việc cấp tiền mua PTTGSH (mẫu "
	    "03P-HSB) (nếu có)",
	    "Tiền trợ cấp" },
	  { "KQ.G24.000059", "KQ.G24.000053" } },
	{ "1.004335",
	  "Quyết định giải quyết khiếu nại lần đầuMã: 000.00.00.G11-KQ3554Từ khóaKhông có thông tinMô "
	  "tảKhông có thông tin",
	  1, 1, { "Quyết định giải quyết khiếu nại lần đầu" }, { "000.00.00.G11-KQ3554" } },
	{ "3.000163", "Văn bản tố tụng của Tòa án theo tiến trình giải quyếtMã: VBTT", 1, 1,
	  { "Văn bản tố tụng của Tòa án theo tiến trình giải quyết" }, { "VBTT" } },
	{ "1.008325",
	  "Không phải trả kết quả cho người nộp thuếMã: KQ.G12.01128Từ khóaKhông có thông tinMô tảKhông "
	  "có thông tin",
	  1, 1, { "Không phải trả kết quả cho người nộp thuế" }, { "KQ.G12.01128" } },
	{ "1.000014", "", 0, 0, { NULL }, { NULL } },
	{ "no code", "Giấy chứng nhận đăng ký hộ kinh doanh", 1, 0,
	  { "Giấy chứng nhận đăng ký hộ kinh doanh" }, { "" } },
	{ "name missing", "Mã: KQ.G01.000001Giấy phépMã: KQ.G01.000002", 2, 0, { "", "Giấy phép" },
	  { "KQ.G01.000001", "KQ.G01.000002" } },
};

static void test_results(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(res_cases); i++) {
		catp_results r;
		T_CASE(res_cases[i].label);
		CHECK_INT(catp_results_parse(res_cases[i].text, &r), res_cases[i].complete);
		CHECK_INT(r.n, res_cases[i].n);
		for (size_t k = 0; k < 2 && k < r.n && res_cases[i].name[k]; k++) {
			CHECK_STR(r.v[k].name, res_cases[i].name[k]);
			CHECK_STR(r.v[k].code, res_cases[i].code[k]);
		}
		catp_results_release(&r);
	}
}

/* ---- catalog_normalize ---- */

static json_t *load(const char *s)
{
	json_error_t je;
	json_t *j = json_loads(s, 0, &je);
	if (!j)
		fprintf(stderr, "bad test JSON: %s\n", je.text);
	return j;
}

/* 1.000253 as crawled, shortened: raw_text and a few fields left out. */
static const char crawl_253[] =
	"{\"ma_thu_tuc\": \"1.000253\", \"detail_url\": "
	"\"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-4fc4-7716-bab8-167242b3fcda\", "
	"\"ten_thu_tuc\": \"Khai báo tạm trú cho người nước ngoài tại Việt Nam bằng Phiếu khai báo "
	"tạm trú\", \"so_quyet_dinh\": \"QĐ/0001-BCA\", \"cap_thuc_hien\": \"Cấp xã\", \"linh_vuc\": "
	"\"Quản lý xuất nhập cảnh\", \"co_quan_thuc_hien\": \"Công an cấp Xã\", "
	"\"trinh_tu_thuc_hien\": \"Bước 1: Người khai báo tạm trú tiếp nhận thông tin tạm trú của "
	"người nước ngoài.\", \"cach_thuc_thuc_hien\": \"" COLS "Trực tiếp7 NgàyKhông có thông "
	"tinNộp trực tiếp tại trụ sở Công an cấp xã\", \"thanh_phan_ho_so\": \"--" TABLE "Phiếu "
	"khai báo tạm trú cho người nước ngoài (mẫu NA17)101-Mau A17 tam tru cho nguoi nuoc "
	"ngoai.doc1 bản chính\", \"can_cu_phap_ly\": \"Tên văn bản pháp lýMã văn bảnLuật Nhập cảnh, "
	"xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt NamLuật 47/2014/QH13\", "
	"\"yeu_cau_dieu_kien\": \"Thực hiện khai báo ngay khi người nước ngoài đến đăng ký tạm "
	"trú.\", \"ket_qua_xu_ly\": \"Phiếu khai báo tạm trú được cơ quan Công an xác nhận.Mã: "
	"KQ.G01.00263Từ khóaKhông có thông tinMô tảKhông có thông tin\", \"_ministry\": "
	"\"bo-cong-an\"}";

static void test_normalize_crawl(void)
{
	json_t *in = load(crawl_253), *out = NULL, *again = NULL;
	int complete = -1;
	mc_err e = { 0 };
	T_CASE("crawl 1.000253");
	CHECK_INT(catalog_normalize(in, &out, &complete, &e), MC_OK);
	CHECK_INT(complete, 1);
	CHECK_STR(json_string_value(json_object_get(out, "format")), "motcua-catalog/1");
	CHECK_STR(json_string_value(json_object_get(out, "code")), "1.000253");
	CHECK_STR(json_string_value(json_object_get(out, "field")), "Quản lý xuất nhập cảnh");
	CHECK_STR(json_string_value(json_object_get(out, "agency")), "Công an cấp Xã");
	CHECK_STR(json_string_value(json_object_get(out, "legal_basis")),
		  "Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài tại Việt NamLuật "
		  "47/2014/QH13");
	CHECK_STR(json_string_value(json_object_get(out, "source")), "national-portal");
	CHECK(strncmp(json_string_value(json_object_get(out, "version")), "portal-", 7) == 0);
	json_t *ch = json_array_get(json_object_get(out, "channels"), 0);
	CHECK_STR(json_string_value(json_object_get(ch, "channel")), "direct");
	CHECK_INT(json_integer_value(json_object_get(ch, "time")), 7);
	CHECK_STR(json_string_value(json_object_get(ch, "unit")), "calendar_days");
	CHECK(json_is_false(json_object_get(ch, "inferred")));
	json_t *comp = json_array_get(json_object_get(out, "components"), 0);
	CHECK_STR(json_string_value(json_object_get(comp, "form_code")), "mẫu NA17");
	CHECK_INT(json_integer_value(json_object_get(comp, "originals")), 1);
	json_t *res = json_object_get(out, "result");
	CHECK_STR(json_string_value(json_object_get(res, "code")), "KQ.G01.00263");
	CHECK_INT(json_array_size(json_object_get(out, "unparsed")), 0);
	CHECK_INT(json_object_size(json_object_get(out, "raw")), 0);

	double amount = 0;
	int unit = -1;
	T_CASE("channel time");
	CHECK_INT(catalog_channel_time(out, "direct", &amount, &unit, &e), MC_OK);
	CHECK(amount == 7);
	CHECK_INT(unit, DL_CALENDAR_DAYS);
	/* online has no entry: the direct time stands in */
	amount = 0;
	CHECK_INT(catalog_channel_time(out, "online", &amount, &unit, &e), MC_OK);
	CHECK(amount == 7);
	CHECK_INT(catalog_channel_time(out, "fax", &amount, &unit, &e), MC_EINVAL);
	CHECK_STR(e.msg, "channel 'fax' is not direct, online or postal");

	/* clean -> clean is stable */
	T_CASE("round trip");
	int complete2 = -1;
	CHECK_INT(catalog_normalize(out, &again, &complete2, &e), MC_OK);
	CHECK_INT(complete2, 1);
	char *a = json_dumps(out, JSON_COMPACT), *b = json_dumps(again, JSON_COMPACT);
	CHECK_STR(a, b);
	free(a);
	free(b);
	json_decref(again);
	json_decref(out);

	/* the same procedure with a bare time: imported, flagged */
	T_CASE("partial crawl");
	json_object_set_new(in, "cach_thuc_thuc_hien",
			    json_string(COLS "Trực tuyến1Miễn phíTrực tiếp1Miễn phí"));
	json_object_set_new(in, "ket_qua_xu_ly", json_string(""));
	CHECK_INT(catalog_normalize(in, &out, &complete, &e), MC_OK);
	CHECK_INT(complete, 0);
	json_t *un = json_object_get(out, "unparsed");
	CHECK_INT(json_array_size(un), 2);
	CHECK_STR(json_string_value(json_array_get(un, 0)), "channels");
	CHECK_STR(json_string_value(json_array_get(un, 1)), "result");
	CHECK_STR(json_string_value(json_object_get(json_object_get(out, "raw"), "channels")),
		  COLS "Trực tuyến1Miễn phíTrực tiếp1Miễn phí");
	CHECK(json_is_null(json_object_get(out, "result")));
	ch = json_array_get(json_object_get(out, "channels"), 0);
	CHECK_INT(json_integer_value(json_object_get(ch, "time")), 1);
	CHECK(json_is_null(json_object_get(ch, "unit")));
	CHECK_INT(catalog_channel_time(out, "online", &amount, &unit, &e), MC_ENOTFOUND);
	CHECK_STR(e.msg, "procedure '1.000253' has no processing time");
	CHECK_INT(catalog_normalize(out, &again, &complete2, &e), MC_OK);
	CHECK_INT(complete2, 0);
	CHECK(json_equal(out, again));
	json_decref(again);
	json_decref(out);
	json_decref(in);
}

static void test_normalize_nfc(void)
{
	/* decomposed input ("Nguye\xcc\x82\xcc\x83n") comes out precomposed */
	json_t *in = json_pack("{s:s, s:s, s:s}", "code", "1.001193", "name",
			       "Thu\xcc\x89 tu\xcc\xa3\x63 đăng ký khai sinh", "field", "Ho\xcc\x82\xcc\xa3 ti\xcc\xa3\x63h");
	json_t *out = NULL;
	int complete = 0;
	mc_err e = { 0 };
	T_CASE("nfc");
	CHECK_INT(catalog_normalize(in, &out, &complete, &e), MC_OK);
	CHECK_STR(json_string_value(json_object_get(out, "name")), "Thủ tục đăng ký khai sinh");
	CHECK_STR(json_string_value(json_object_get(out, "field")), "Hộ tịch");
	CHECK_INT(complete, 1);
	CHECK_INT(json_array_size(json_object_get(out, "channels")), 0);
	json_decref(out);
	json_decref(in);
}

/* A clean object where online has no time but direct and postal do. */
static const char clean_obj[] =
	"{\"code\":\"2.000986\",\"name\":\"Thủ tục chứng thực bản sao từ bản chính\","
	"\"version\":\"v7\",\"channels\":["
	"{\"channel\":\"online\",\"time\":null,\"unit\":null,\"time_text\":\"Không có thông tin\"},"
	"{\"channel\":\"postal\",\"time\":0.5,\"unit\":\"working_days\"},"
	"{\"channel\":\"direct\",\"time\":1,\"unit\":\"same_day\",\"fee\":\"2,000 Việt Nam Đồng\"}],"
	"\"components\":[{\"name\":\"Bản chính\",\"quantity\":\"1 bản chính\",\"originals\":1}],"
	"\"result\":{\"name\":\"Bản sao được chứng thực\",\"code\":\"KQ.G13.000001\"},"
	"\"unparsed\":[\"channels\"],\"raw\":{\"channels\":\"…\"}}";

static void test_normalize_clean(void)
{
	json_t *in = load(clean_obj), *out = NULL;
	int complete = 1;
	mc_err e = { 0 };
	T_CASE("clean");
	CHECK_INT(catalog_normalize(in, &out, &complete, &e), MC_OK);
	CHECK_INT(complete, 0);
	CHECK_STR(json_string_value(json_object_get(out, "version")), "v7");
	CHECK_STR(json_string_value(json_object_get(out, "format")), CATALOG_FORMAT);
	CHECK_INT(json_array_size(json_object_get(out, "results")), 1);
	json_t *comp = json_array_get(json_object_get(out, "components"), 0);
	CHECK(json_is_null(json_object_get(comp, "copies")));
	CHECK_STR(json_string_value(json_object_get(comp, "form")), "");
	double amount = 0;
	int unit = -1;
	/* online has an entry without a time: falls back to direct */
	CHECK_INT(catalog_channel_time(out, "online", &amount, &unit, &e), MC_OK);
	CHECK(amount == 1);
	CHECK_INT(unit, DL_SAME_DAY);
	CHECK_INT(catalog_channel_time(out, "postal", &amount, &unit, &e), MC_OK);
	CHECK(amount == 0.5);
	CHECK_INT(unit, DL_WORKING_DAYS);
	json_t *again = NULL;
	CHECK_INT(catalog_normalize(out, &again, &complete, &e), MC_OK);
	char *a = json_dumps(out, JSON_COMPACT), *b = json_dumps(again, JSON_COMPACT);
	CHECK_STR(a, b);
	free(a);
	free(b);
	json_decref(again);
	json_decref(out);
	json_decref(in);
}

static const struct {
	const char *json, *msg;
} bad_cases[] = {
	{ "[]", "procedure must be a JSON object" },
	{ "{}", "code is missing" },
	{ "{\"ten_thu_tuc\":\"Đăng ký khai sinh\"}", "code is missing" },
	{ "{\"ma_thu_tuc\":1000253,\"ten_thu_tuc\":\"x\"}", "ma_thu_tuc must be a string" },
	{ "{\"ma_thu_tuc\":null,\"ten_thu_tuc\":\"x\"}", "ma_thu_tuc must be a string" },
	{ "{\"ma_thu_tuc\":\"  \",\"ten_thu_tuc\":\"x\"}", "ma_thu_tuc is empty" },
	{ "{\"ma_thu_tuc\":\"1.00025\",\"ten_thu_tuc\":\"x\"}",
	  "ma_thu_tuc '1.00025' is not a procedure code" },
	{ "{\"ma_thu_tuc\":\"KQ.G01.00263\",\"ten_thu_tuc\":\"x\"}",
	  "ma_thu_tuc 'KQ.G01.00263' is not a procedure code" },
	{ "{\"ma_thu_tuc\":\"1.000253\"}", "ten_thu_tuc is missing" },
	{ "{\"ma_thu_tuc\":\"1.000253\",\"ten_thu_tuc\":[]}", "ten_thu_tuc must be a string" },
	{ "{\"ma_thu_tuc\":\"1.000253\",\"ten_thu_tuc\":\"\"}", "ten_thu_tuc is empty" },
	{ "{\"code\":\"1.000253\"}", "name is missing" },
	/* byte 40 falls inside "đ": the quoted excerpt stops before it */
	{ "{\"ma_thu_tuc\":\"1Thủ tục đăng ký khai sinh lưu động số 1.000253\",\"ten_thu_tuc\":\"x\"}",
	  "ma_thu_tuc '1Thủ tục đăng ký khai sinh lưu ' is not a procedure code" },
	{ "{\"code\":\"1.000253x\",\"name\":\"x\"}", "code '1.000253x' is not a procedure code" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"format\":\"motcua-catalog/2\"}",
	  "format must be \"motcua-catalog/1\"" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"field\":7}", "field must be a string" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"channels\":{}}", "channels must be an array" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"channels\":[{\"channel\":\"fax\"}]}",
	  "channels[0].channel must be direct, online or postal" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"channels\":[{\"channel\":\"direct\"},"
	  "{\"channel\":\"online\",\"time\":-1}]}",
	  "channels[1].time must be a number >= 0 or null" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"channels\":[{\"channel\":\"direct\",\"time\":3,"
	  "\"unit\":\"weeks\"}]}",
	  "channels[0].unit must be working_days, working_hours, calendar_days, same_day or null" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"channels\":[{\"channel\":\"direct\","
	  "\"unit\":\"working_days\"}]}",
	  "channels[0].unit needs a time" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"channels\":[{\"channel\":\"direct\",\"fee\":5}]}",
	  "channels[0].fee must be a string" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"components\":[{\"name\":\"a\",\"copies\":-1}]}",
	  "components[0].copies must be an integer >= 0 or null" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"components\":[\"a\"]}",
	  "components[0] must be an object" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"results\":[{\"name\":1}]}",
	  "results[0].name must be a string" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"unparsed\":[\"steps\"]}",
	  "unparsed[0] must be channels, components or result" },
	{ "{\"code\":\"1.000253\",\"name\":\"x\",\"raw\":{\"channels\":1}}",
	  "raw.channels must be a string" },
};

static void test_normalize_bad(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(bad_cases); i++) {
		json_t *in = load(bad_cases[i].json), *out = (json_t *)1;
		int complete = 1;
		mc_err e = { 0 };
		T_CASE(bad_cases[i].json);
		CHECK_INT(catalog_normalize(in, &out, &complete, &e), MC_EINVAL);
		CHECK_STR(e.msg, bad_cases[i].msg);
		CHECK(out == NULL);
		json_decref(in);
	}
}

/* The crawler cut the steps at "(Thành phần hồ sơ)" and put the rest into
 * the components; raw_text still has the page (1.001601, shortened). */
static void test_repair(void)
{
	json_t *in = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ma_thu_tuc", "1.001601", "ten_thu_tuc",
		"Ủy quyền lĩnh thay các chế độ BHXH", "trinh_tu_thuc_hien",
		"Bước 1. Lập hồ sơ Người hưởng lập hồ sơ theo quy định tại mục", "cach_thuc_thuc_hien",
		COLS "Trực tiếp5 Ngày làm việcMiễn phí", "thanh_phan_ho_so",
		".\nBước 2. Nộp hồ sơ cho cơ quan Bưu điện.", "can_cu_phap_ly",
		"Tên văn bản pháp lýMã văn bảnLuật 41/2024/QH15", "yeu_cau_dieu_kien",
		"Không có thông tin", "raw_text",
		"Ủy quyềnTrình Tự Thực Hiện Bước 1. Lập hồ sơ Người hưởng lập hồ sơ theo quy định tại "
		"mục Thành phần hồ sơ.\nBước 2. Nộp hồ sơ cho cơ quan Bưu điện.\nCách Thức Thực Hiện" COLS
		"Trực tiếp5 Ngày làm việcMiễn phí \nThành phần hồ sơ--" TABLE "Giấy ủy quyền (mẫu số "
		"13-HSB)1 bản chínhCăn cứ pháp lýTên văn bản pháp lýMã văn bảnLuật 41/2024/QH15Cơ quan "
		"thực hiệnBảo hiểm xã hội cấp huyệnYêu cầu, điều kiện thực hiệnKhông có thông tinKết "
		"quả xử lý");
	json_t *out = NULL;
	int complete = 0;
	mc_err e = { 0 };
	T_CASE("repair");
	CHECK_INT(catalog_normalize(in, &out, &complete, &e), MC_OK);
	CHECK_INT(complete, 0); /* no result */
	CHECK_STR(json_string_value(json_object_get(out, "steps")),
		  "Bước 1. Lập hồ sơ Người hưởng lập hồ sơ theo quy định tại mục Thành phần hồ "
		  "sơ.\nBước 2. Nộp hồ sơ cho cơ quan Bưu điện.");
	json_t *comp = json_array_get(json_object_get(out, "components"), 0);
	CHECK_STR(json_string_value(json_object_get(comp, "name")), "Giấy ủy quyền (mẫu số 13-HSB)");
	CHECK_STR(json_string_value(json_object_get(comp, "form_code")), "mẫu số 13-HSB");
	CHECK_STR(json_string_value(json_object_get(out, "agency")), "Bảo hiểm xã hội cấp huyện");
	CHECK_STR(json_string_value(json_object_get(out, "requirements")), "");
	CHECK_STR(json_string_value(json_object_get(out, "legal_basis")), "Luật 41/2024/QH15");
	json_t *un = json_object_get(out, "unparsed");
	CHECK_INT(json_array_size(un), 1);
	CHECK_STR(json_string_value(json_array_get(un, 0)), "result");
	json_decref(out);
	json_decref(in);
}

int main(void)
{
	test_channels();
	test_components();
	test_results();
	test_normalize_crawl();
	test_normalize_nfc();
	test_normalize_clean();
	test_normalize_bad();
	test_repair();
	return t_done();
}
