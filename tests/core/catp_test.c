/*
 * catp_test.c - the portal-table parsers (core/catp) on long, pathological
 * text: a catalog upload may be 16 MiB, so a scanner that rescans the rest of
 * a cell from every position would never finish. Each input is about 1 MB of
 * one repeated piece (a run of digits, "AbAb…", "-mẫu-mẫu…", "ngày ngày…")
 * placed where it drives one scanner. The checks are on the results only,
 * never on time; a quadratic scan shows as this suite hanging. The parsers on
 * real portal text are tested in tests/app/catalog_test.c.
 */
#include "core/catp.h"
#include "core/dl.h"
#include "t.h"

#include <stdlib.h>

#define TABLE "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
#define MB (1024 * 1024)

/* head, then unit repeated times, then tail: an input or an expected string */
typedef struct {
	const char *head, *unit;
	size_t times;
	const char *tail;
} rep;

static char *build(const rep *r)
{
	size_t hn = strlen(r->head), un = r->unit ? strlen(r->unit) : 0, tn = strlen(r->tail);
	char *s = malloc(hn + un * r->times + tn + 1), *o = s;
	if (!s)
		abort();
	memcpy(o, r->head, hn);
	o += hn;
	for (size_t i = 0; i < r->times; i++, o += un)
		memcpy(o, r->unit, un);
	memcpy(o, r->tail, tn);
	o[tn] = 0;
	return s;
}

/* got equals the string r describes */
static int same(const char *got, const rep *r)
{
	char *want = build(r);
	int ok = strcmp(got, want) == 0;
	if (!ok)
		fprintf(stderr, "  got %zu bytes \"%.60s…\", expected %zu bytes \"%.60s…\"\n",
			strlen(got), got, strlen(want), want);
	free(want);
	return ok;
}

#define S(s) { s, NULL, 0, "" } /* a plain string */

/* ---- channels: the time cell's scan for the fee, the unit in the description ---- */

static const struct {
	const char *label;
	rep in;
	int complete;
	size_t n;
	int status, unit, inferred;
	double amount;
	rep time_text, fee, desc; /* of the first entry */
} chan_cases[] = {
	/* free text in the time cell runs to the first fee: none in 1 MB of digits */
	{ "free text then 1 MB of digits",
	  { "Trực tiếpA", "1", MB, "" }, 0, 1, CATP_TIME_BAD, -1, 0, 0,
	  { "A", "1", MB, "" }, S(""), S("") },
	/* the same digits ending in a currency are the fee, whole */
	{ "free text then a 1 MB amount",
	  { "Trực tiếpA", "1", MB, " VNĐ" }, 0, 1, CATP_TIME_BAD, -1, 0, 0,
	  S("A"), { "", "1", MB, " VNĐ" }, S("") },
	{ "free text then a number, then the fee",
	  { "Trực tiếpA", "12 cái ", 100000, "25,000 VNĐMô tả" }, 0, 1, CATP_TIME_BAD, -1, 0, 0,
	  { "A", "12 cái ", 99999, "12 cái" }, S("25,000 VNĐ"), S("Mô tả") },
	{ "1 MB of digits as the time",
	  { "Trực tiếp", "1", MB, "" }, 0, 1, CATP_TIME_BAD, -1, 0, 0,
	  { "", "1", MB, "" }, S(""), S("") },
	{ "unit then 200k times ngày",
	  { "Trực tiếp1 Ngày", " ngày", 200000, "" }, 1, 1, CATP_TIME_OK, DL_CALENDAR_DAYS, 0, 1,
	  S("1 Ngày"), S(""), { "ngày", " ngày", 199999, "" } },
	/* a bare number takes its unit from the description's last words */
	{ "unit inferred after 200k numbers",
	  { "Trực tiếp1Miễn phí", " 2 ngày", 200000, " 1 ngày làm việc" }, 1, 1, CATP_TIME_OK,
	  DL_WORKING_DAYS, 1, 1, S("1"), S("Miễn phí"),
	  { "2 ngày", " 2 ngày", 199999, " 1 ngày làm việc" } },
	{ "200k entries", { "", "Trực tiếpA", 200000, "" }, 0, 200000, CATP_TIME_BAD, -1, 0, 0,
	  S("A"), S(""), S("") },
	{ "200k times ngày, no entry", { "", "ngày ", 200000, "" }, 0, 0, 0, 0, 0, 0, S(""), S(""),
	  S("") },
	{ "1 MB of digits, no entry", { "", "1", MB, "" }, 0, 0, 0, 0, 0, 0, S(""), S(""), S("") },
};

static void test_channels(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(chan_cases); i++) {
		catp_channels c;
		char *in = build(&chan_cases[i].in);
		T_CASE(chan_cases[i].label);
		CHECK_INT(catp_channels_parse(in, &c), chan_cases[i].complete);
		CHECK_INT(c.n, chan_cases[i].n);
		CHECK_INT(c.parsed + c.unparsed, c.n ? c.n : 1);
		if (c.n) {
			const catp_channel *g = &c.v[0];
			CHECK_INT(g->channel, CATP_DIRECT);
			CHECK_INT(g->time_status, chan_cases[i].status);
			CHECK_INT(g->unit, chan_cases[i].unit);
			CHECK_INT(g->inferred, chan_cases[i].inferred);
			CHECK(g->amount == chan_cases[i].amount);
			CHECK(same(g->time_text, &chan_cases[i].time_text));
			CHECK(same(g->fee, &chan_cases[i].fee));
			CHECK_STR(g->fee_note, "");
			CHECK(same(g->description, &chan_cases[i].desc));
		}
		catp_channels_release(&c);
		free(in);
	}
}

/* ---- components: the seam before a form file, the form code in a name ---- */

static const struct {
	const char *label;
	rep in;
	int complete;
	size_t n;
	rep name, form; /* of the first row */
	const char *form_code;
	size_t leftover; /* bytes */
} comp_cases[] = {
	/* at each capital the word after it is read: ASCII to the end */
	{ "file name of 512k times Ab",
	  { TABLE, "Ab", MB / 2, ".doc1 bản chính" }, 1, 1,
	  { "", "Ab", MB / 2, ".doc" }, { "", "Ab", MB / 2, ".doc" }, "", 0 },
	{ "file name after a Vietnamese word",
	  { TABLE "Tờ khai", "Ab", MB / 2, "ễ.doc1 bản chính" }, 1, 1,
	  { "Tờ khai", "Ab", MB / 2 - 1, "" }, S("Abễ.doc"), "", 0 },
	{ "a long lower-case word, then a capital",
	  { TABLE "Tờ khai ", "a", MB, "Mau01.doc1 bản chính" }, 1, 1,
	  { "Tờ khai ", "a", MB, "Mau01.doc" }, { "Tờ khai ", "a", MB, "Mau01.doc" }, "", 0 },
	{ "file name after a long legal number",
	  { TABLE "Quyết định số 58/", "Đ", 300000, "-CPMau01.doc1 bản chính" }, 1, 1,
	  { "Quyết định số 58/", "Đ", 300000, "-CP" }, S("Mau01.doc"), "", 0 },
	{ "file name of 1 MB of digits",
	  { TABLE "Tờ khai", "1", MB, ".doc1 bản chính" }, 1, 1,
	  { "Tờ khai", "1", MB, ".doc" }, { "Tờ khai", "1", MB, ".doc" }, "", 0 },
	/* each "mẫu" starts a candidate code that runs to the end */
	{ "200k times -mẫu",
	  { TABLE, "-mẫu", 200000, "1 bản chính" }, 1, 1,
	  { "mẫu", "-mẫu", 199999, "" }, S(""), "", 0 },
	{ "200k times -mẫu. then a code",
	  { TABLE, "-mẫu.", 200000, " Mẫu số 02;1 bản chính" }, 1, 1,
	  { "mẫu.", "-mẫu.", 199999, " Mẫu số 02" }, S(""), "Mẫu số 02", 0 },
	{ "200k rows", { TABLE, "Giấy tờ1 bản chính", 200000, "" }, 1, 200000,
	  S("Giấy tờ"), S(""), "", 0 },
	{ "200k times ngày, no table", { "", "ngày ", 200000, "" }, 0, 0, S(""), S(""), "",
	  200000 * 6 - 1 },
	{ "1 MB of digits in a table", { TABLE, "1", MB, "" }, 0, 0, S(""), S(""), "", MB },
};

static void test_components(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(comp_cases); i++) {
		catp_components c;
		char *in = build(&comp_cases[i].in);
		T_CASE(comp_cases[i].label);
		CHECK_INT(catp_components_parse(in, &c), comp_cases[i].complete);
		CHECK_INT(c.n, comp_cases[i].n);
		CHECK_INT(strlen(c.leftover), comp_cases[i].leftover);
		if (c.n) {
			const catp_component *g = &c.v[0];
			CHECK(same(g->name, &comp_cases[i].name));
			CHECK(same(g->form, &comp_cases[i].form));
			CHECK_STR(g->form_code, comp_cases[i].form_code);
			CHECK_STR(g->quantity, "1 bản chính");
			CHECK_INT(g->originals, 1);
			CHECK_INT(g->copies, 0);
			CHECK_INT(c.parsed, c.n);
		}
		catp_components_release(&c);
		free(in);
	}
}

/* ---- results ---- */

static const struct {
	const char *label;
	rep in;
	size_t n, parsed;
	rep name, code; /* of the last result */
} res_cases[] = {
	{ "a code of 1 MB of dashes", { "Giấy phépMã:", "-", MB, "" }, 2, 0,
	  { "", "-", MB, "" }, S("") },
	{ "a code of 1 MB of digits", { "Giấy phépMã: ", "1", MB, "Từ khóa" }, 1, 1,
	  S("Giấy phép"), { "", "1", MB, "" } },
	{ "200k results", { "", "Giấy phépMã: KQ.01", 200000, "" }, 200000, 200000,
	  S("Giấy phép"), S("KQ.01") },
	{ "200k times ngày", { "", "ngày ", 200000, "" }, 1, 0,
	  { "ngày", " ngày", 199999, "" }, S("") },
};

static void test_results(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(res_cases); i++) {
		catp_results r;
		char *in = build(&res_cases[i].in);
		T_CASE(res_cases[i].label);
		CHECK_INT(catp_results_parse(in, &r), res_cases[i].parsed == res_cases[i].n);
		CHECK_INT(r.n, res_cases[i].n);
		CHECK_INT(r.parsed, res_cases[i].parsed);
		if (r.n) {
			CHECK(same(r.v[r.n - 1].name, &res_cases[i].name));
			CHECK(same(r.v[r.n - 1].code, &res_cases[i].code));
		}
		catp_results_release(&r);
		free(in);
	}
}

/* The fee amount: only when the entry states exactly one (catp_fee.c).
 * Rows as the national catalog writes them. -1: unsettled. */
static const struct {
	const char *fee, *note;
	long long amount;
} fees[] = {
	{ "Miễn phí", "", 0 },
	{ "miễn phí", "Miễn lệ phí", 0 },
	{ "Miễn phí", "Lệ phí 8.000 đồng đối với trường hợp cấp lại", -1 },
	{ "70,000 VNĐ", "70.000 đồng/Giấy chứng nhận", 70000 },
	{ "70,000 VNĐ", "70.000 đồng/Giấy chứng nhận.", 70000 },
	{ "8,000 VNĐ", "", 8000 },
	{ "50,000 Việt Nam Đồng", "/văn bản", 50000 },
	{ "4,500,000 Việt Nam Đồng", "(bốn triệu năm trăm nghìn việt nam đồng)", 4500000 },
	{ "5,000 Việt Nam Đồng", "5.000đ/giấy thông hành (Thông tư số 25/2021/TT-BTC)", 5000 },
	{ "20,000 VNĐ", "20.000Đ/tờ khai", 20000 },
	/* the fee column contradicted by its note: a typing error somewhere */
	{ "120 VNĐ", "20.000 vnđ /tờ khai", -1 },
	{ "25 VNĐ", "25.000.000đ/giấy thông hành", -1 },
	{ "700 VNĐ", "Phí thẩm định: 700.000 đồng/cơ sở", -1 },
	/* several amounts, ranges, none */
	{ "2,000 Việt Nam Đồng", "2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản", -1 },
	{ "", "Từ 50.000 đồng đến 100.000 đồng", -1 },
	{ "Không có thông tin", "", -1 },
	{ "", "", -1 },
	{ "Theo quy định của HĐND tỉnh", "", -1 },
	{ "50 VNĐ", "Phí hải quan 50USD/chuyến bay", -1 },
	/* an amount only in the note, the fee column empty */
	{ "", "Lệ phí: 8.000 đồng", 8000 },
	/* "đ" must end a word: "đối với" is no currency */
	{ "", "100 đối với cá nhân", -1 },
	/* badly grouped digits are no amount */
	{ "70,00 VNĐ", "", -1 },
	{ "1.000.000 đồng", "", 1000000 },
	{ "99999999999999999999999 VNĐ", "", -1 },
};

static void test_fees(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(fees); i++) {
		int64_t v = -1;
		T_CASE(fees[i].fee[0] ? fees[i].fee : fees[i].note);
		int ok = catp_fee_amount(fees[i].fee, fees[i].note, &v);
		CHECK_INT(ok, fees[i].amount >= 0);
		CHECK_INT(ok ? v : -1, fees[i].amount);
	}
	int64_t v = 7;
	T_CASE("NULL note");
	CHECK_INT(catp_fee_amount("Miễn phí", NULL, &v), 1);
	CHECK_INT(v, 0);
	CHECK_INT(catp_fee_amount(NULL, NULL, &v), 0);
}

/* How a component applies (catp_component_kind), rows from the national
 * catalog (data/catalog): C conditional, O online only, P postal only. */
static const struct {
	const char *name, *kind;
} kinds[] = {
	{ "Tờ khai đăng ký khai sinh theo mẫu", "" },
	{ "- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.", "" },
	{ "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.", "C" },
	{ "- Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh.", "C" },
	{ "Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ tịch không thể khai thác được thông tin", "C" },
	{ "Giấy tờ chứng minh quan hệ nhân thân (nếu có)", "C" },
	{ "Đối với trường hợp người nước ngoài: hộ chiếu", "C" },
	{ "+ Trường hợp cha, mẹ không thỏa thuận được về họ, dân tộc, quê quán", "C" },
	{ "(iv) Trường hợp ủy quyền cho đơn vị cung cấp dịch vụ bưu chính không phải là bưu chính công ích thực hiện thủ tục đăng ký hộ kinh doanh thì việc ủy quyền thực hiện theo", "CP" },
	{ "- Trường hợp gửi hồ sơ qua hệ thống bưu chính thì phải gửi kèm theo bản sao có chứng thực các giấy tờ phải xuất trình nêu trên.", "CP" },
	{ "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến)", "O" },
	{ "MẪU HỘ TỊCH ĐIỆN TỬ TƯƠNG TÁC ĐĂNG KÝ KẾT HÔN", "O" },
	{ "Đối với giấy tờ gửi kèm theo nếu người yêu cầu nộp hồ sơ theo hình thức trực tuyến:", "O" },
	{ "Bản chụp các giấy tờ gửi kèm theo hồ sơ đăng ký khai sinh trực tuyến phải bảo đảm rõ nét, đầy đủ", "O" },
	{ "Người có yêu cầu đăng ký khai sinh thực hiện việc nộp/xuất trình (theo hình thức trực tiếp) hoặc tải lên (theo hình thức trực tuyến) các giấy tờ sau:", "" },
	{ "Trường hợp các thông tin cá nhân trong các giấy tờ này đã có trong Cơ sở dữ liệu quốc gia về dân cư thì không phải tải lên (theo hình thức trực tuyến)", "CO" },
	{ "Nếu đã có bản điện tử thì không phải nộp bản giấy", "C" },
	{ "Bản sao Giấy khai sinh của trẻ (trường hợp hợp nhất)", "" },
	{ "", "" },
};

static void test_component_kinds(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(kinds); i++) {
		T_CASE(kinds[i].name[0] ? kinds[i].name : "(empty)");
		int want = (strchr(kinds[i].kind, 'C') ? CATP_COMP_CONDITIONAL : 0) |
			   (strchr(kinds[i].kind, 'O') ? CATP_COMP_ONLINE_ONLY : 0) |
			   (strchr(kinds[i].kind, 'P') ? CATP_COMP_POSTAL_ONLY : 0);
		CHECK_INT(catp_component_kind(kinds[i].name), want);
	}
	T_CASE("NULL and invalid UTF-8");
	CHECK_INT(catp_component_kind(NULL), 0);
	CHECK_INT(catp_component_kind("Tr\xc3\x28ờng hợp"), 0);
}

int main(void)
{
	test_channels();
	test_components();
	test_results();
	test_fees();
	test_component_kinds();
	return t_done();
}
