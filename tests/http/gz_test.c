/*
 * gz_test.c - Accept-Encoding q-values, one header a row, and http_gzip
 * round trips through zlib's inflate: text, nothing, incompressible bytes.
 */
#include <stdint.h>
#include <zlib.h>

#include "http/gz.h"
#include "t.h"

static const struct {
	const char *header; /* NULL: no Accept-Encoding */
	const char *coding;
	int q; /* -1: not named */
} cases[] = {
	{ NULL, "identity", -1 },
	{ NULL, "gzip", -1 },
	{ "", "identity", -1 },
	{ "", "br", -1 },
	{ "gzip, deflate, br, zstd", "br", 1000 }, /* Chromium */
	{ "gzip, deflate, br, zstd", "gzip", 1000 },
	{ "gzip, deflate, br, zstd", "identity", -1 },
	{ "gzip, deflate", "br", -1 },
	{ "br;q=0", "br", 0 },
	{ "br;q=0, gzip", "gzip", 1000 },
	{ "br ; q=0 , gzip;q=0.5", "br", 0 },
	{ "br ; q=0 , gzip;q=0.5", "gzip", 500 },
	{ "BR;Q=0.25", "br", 250 },
	{ "gzip;q=1.000", "gzip", 1000 },
	{ "gzip;q=0.001", "gzip", 1 },
	{ "gzip;q=1.5", "gzip", 0 },    /* out of range */
	{ "gzip;q=0.1234", "gzip", 0 }, /* four decimals */
	{ "gzip;q=", "gzip", 0 },
	{ "gzip;q=abc", "gzip", 0 },
	{ "gzip;level=9", "gzip", 1000 }, /* other parameters ignored */
	{ "gzip;foo=\"a,b\";q=0.3", "gzip", 300 },
	{ "x-gzip", "gzip", 1000 },
	{ "gzipx", "gzip", -1 },
	{ "*", "br", 1000 },
	{ "*;q=0.2", "gzip", 200 },
	{ "*;q=0", "identity", 0 },
	{ "*;q=0, identity", "identity", 1000 },
	{ "identity;q=0", "identity", 0 },
	{ "gzip;q=0, *", "gzip", 0 }, /* its own entry wins over "*" */
	{ "gzip;q=0.2, gzip;q=0.7", "gzip", 700 },
	{ ",, ,gzip,,", "gzip", 1000 },
	{ "\tgzip\t;\tq=0.5\t", "gzip", 500 },
	{ "gzip junk", "gzip", 0 },
};

/* Inflates a gzip stream; 0 if it is exactly want[0..n). */
static int inflates_to(const char *z, size_t zn, const char *want, size_t n)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	if (inflateInit2(&s, 15 + 16) != Z_OK)
		return -1;
	unsigned char *buf = malloc(n + 16);
	s.next_in = (Bytef *)(uintptr_t)z;
	s.avail_in = (uInt)zn;
	s.next_out = buf;
	s.avail_out = (uInt)(n + 16);
	int rc = inflate(&s, Z_FINISH);
	size_t got = n + 16 - s.avail_out;
	int bad = rc != Z_STREAM_END || s.avail_in != 0 || got != n || memcmp(buf, want, n) != 0;
	inflateEnd(&s);
	free(buf);
	return bad ? -1 : 0;
}

static void round_trip(const char *name, const char *in, size_t n, size_t max_out)
{
	char *z = NULL;
	size_t zn = 0;
	T_CASE(name);
	CHECK_INT(http_gzip(in, n, &z, &zn), 0);
	CHECK(z != NULL);
	CHECK(zn >= 18 && zn <= max_out); /* 10-byte header, 8-byte trailer */
	CHECK(z && (unsigned char)z[0] == 0x1f && (unsigned char)z[1] == 0x8b);
	CHECK_INT(z ? inflates_to(z, zn, in, n) : -1, 0);
	free(z);
}

int main(void)
{
	for (size_t i = 0; i < MC_ARRAY_LEN(cases); i++) {
		T_CASE(cases[i].header ? cases[i].header : "(none)");
		CHECK_INT(http_accept_q(cases[i].header, cases[i].coding), cases[i].q);
	}

	/* A dossier list's shape: repetitive JSON shrinks several times. */
	size_t n = 0, cap = 200000;
	char *json = malloc(cap);
	n += (size_t)snprintf(json, cap, "{\"items\":[");
	for (int i = 0; n < cap - 200; i++)
		n += (size_t)snprintf(json + n, cap - n,
				      "{\"code\":\"000.00.25.H45-260302-%04d\",\"state\":\"received\","
				      "\"applicant\":\"Nguyễn Văn %d\"},",
				      i, i * 7919 % 1000);
	round_trip("json", json, n, n / 4);
	free(json);

	round_trip("empty", "", 0, 32);
	round_trip("one byte", "x", 1, 32);

	/* Incompressible: comes back whole, a little larger (stored blocks). */
	size_t rn = 100000;
	char *rnd = malloc(rn);
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < rn; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		rnd[i] = (char)(x >> 56);
	}
	round_trip("random", rnd, rn, rn + rn / 100 + 64);
	free(rnd);

	return t_done();
}
