/*
 * h_search.c - GET /api/v1/search: full-text search (app/search.h). Thin:
 * the query arguments, one app call, JSON out.
 */
#include "http/http_int.h"

#include "app/search.h"

int h_search(http_req *r)
{
	long limit = 0, offset = 0;
	if (http_long_arg(r, "limit", 1, APP_SEARCH_LIMIT_MAX, &limit) ||
	    http_long_arg(r, "offset", 0, APP_SEARCH_OFFSET_MAX, &offset))
		return r->status;
	json_t *page;
	mc_err e;
	if (app_search(r->app, &r->actor, http_arg(r, "q"), (int)limit, (int)offset, &page, &e))
		return http_fail(r, &e);
	return http_ok(r, 200, page);
}
