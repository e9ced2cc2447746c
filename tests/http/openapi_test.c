/*
 * openapi_test.c - the API contract: the built-in route table and
 * contract.json agree (a route without its contract fails here, named);
 * the check catches each kind of gap in a hand-made table; the document
 * made from them has what an integrator needs on every operation.
 */
#include <string.h>

#include "http/http.h"
#include "t.h"

static int noop(http_req *r)
{
	return 0;
}

/* 1 if one of problems contains all of the words. */
static int names(json_t *problems, const char *a, const char *b)
{
	size_t i;
	json_t *v;
	json_array_foreach(problems, i, v)
	{
		const char *s = json_string_value(v);
		if (s && strstr(s, a) && (!b || strstr(s, b)))
			return 1;
	}
	return 0;
}

static void the_shipped_contract_is_whole(void)
{
	T_CASE("shipped contract");
	json_t *p = http_contract_problems(http_routes, NULL);
	CHECK(p != NULL);
	size_t i;
	json_t *v;
	json_array_foreach(p, i, v) fprintf(stderr, "  contract: %s\n", json_string_value(v));
	CHECK_INT((int)json_array_size(p), 0);
	json_decref(p);
}

static void gaps_are_named(void)
{
	json_t *c = json_pack("{s:[{s:s}], s:{s:{}}, s:{s:{}}, s:{s:{}, s:{}, s:{}}}", "tags", "name",
			      "things", "pathParameters", "id", "operations", "ghostOp", "schemas",
			      "Thing", "ThingNew", "Things");
	CHECK(c != NULL);
	const http_route routes[] = {
		{ "GET", "/things", noop, HTTP_OFFICERS, 0, 0, 0, "List", "listThings", "things", NULL,
		  "200:Things" },
		{ "POST", "/things", noop, HTTP_OFFICERS, 1024, 0, 0, "No contract at all", NULL, NULL,
		  NULL, NULL },
		{ "GET", "/things/{id}", noop, HTTP_OFFICERS, 0, 0, 0, "Twice", "listThings", "stuff",
		  NULL, "200:Thing 404" },
		{ "PATCH", "/things/{id}", noop, HTTP_OFFICERS, 1024, 0, 0, "Unknown schemas",
		  "patchThing", "things", "ThingPatch", "200:Nope 404:Thing 418" },
		{ "DELETE", "/things/{key}", noop, HTTP_OFFICERS, 0, 0, 0, "Errors only",
		  "deleteThing", "things", "ThingNew", "404 4x9" },
		{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL },
	};
	json_t *p = http_contract_problems(routes, c);
	T_CASE("a whole route has no problem");
	CHECK(!names(p, "GET /things:", NULL));
	T_CASE("a route without a contract is named");
	CHECK(names(p, "POST /things:", "no operationId"));
	CHECK(names(p, "POST /things:", "tag"));
	CHECK(names(p, "POST /things:", "no request schema"));
	CHECK(names(p, "POST /things:", "no success response"));
	T_CASE("duplicate operationId, unknown tag");
	CHECK(names(p, "GET /things/{id}:", "used twice"));
	CHECK(names(p, "GET /things/{id}:", "'stuff'"));
	T_CASE("unknown schemas, an error with a schema, an unknown status");
	CHECK(names(p, "PATCH /things/{id}:", "ThingPatch"));
	CHECK(names(p, "PATCH /things/{id}:", "Nope"));
	CHECK(names(p, "PATCH /things/{id}:", "error status with a schema"));
	CHECK(names(p, "PATCH /things/{id}:", "418"));
	T_CASE("malformed responses, body schema without body, unknown path parameter");
	CHECK(names(p, "DELETE /things/{key}:", "malformed"));
	CHECK(names(p, "DELETE /things/{key}:", "takes no body"));
	CHECK(names(p, "DELETE /things/{key}:", "{key}"));
	T_CASE("an operation no route has");
	CHECK(names(p, "ghostOp", NULL));
	json_decref(p);
	json_decref(c);
}

/* The operation of method+path in doc. */
static json_t *op_of(json_t *doc, const char *path, const char *method)
{
	return json_object_get(json_object_get(json_object_get(doc, "paths"), path), method);
}

static void the_document(void)
{
	json_t *doc = http_openapi();
	T_CASE("document");
	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK_STR(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	int ops = 0, routes = 0;
	for (const http_route *rt = http_routes; rt->method; rt++) {
		routes++;
		char m[8];
		size_t i;
		for (i = 0; rt->method[i] && i < sizeof m - 1; i++)
			m[i] = (char)(rt->method[i] | 0x20);
		m[i] = 0;
		json_t *op = op_of(doc, rt->pattern, m);
		T_CASE(rt->pattern);
		CHECK(op != NULL);
		if (!op)
			continue;
		ops++;
		CHECK_STR(json_string_value(json_object_get(op, "operationId")), rt->op);
		CHECK(json_is_array(json_object_get(op, "security")));
		/* Public routes say so with an empty list; node routes name the node
		 * key alone; the others name both ways in (session, bearer). */
		CHECK_INT((int)json_array_size(json_object_get(op, "security")),
			  rt->who == HTTP_ANON ? 0 : rt->who == HTTP_NODE ? 1 : 2);
		json_t *resp = json_object_get(op, "responses");
		CHECK(json_object_size(resp) >= 2);
		CHECK(json_object_get(resp, "400") != NULL);
		if (rt->who != HTTP_ANON) {
			CHECK(json_object_get(resp, "401") != NULL);
			CHECK(json_object_get(resp, "403") != NULL);
		}
		if (rt->body_max) {
			CHECK(json_object_get(op, "requestBody") != NULL);
			CHECK(json_object_get(resp, "413") != NULL);
		} else {
			CHECK(json_object_get(op, "requestBody") == NULL);
		}
		/* No success response goes without its schema. */
		const char *st;
		json_t *v;
		int success = 0;
		json_object_foreach(resp, st, v)
		{
			if (st[0] != '2')
				continue;
			success++;
			/* JSON, or raw bytes (a stored file) of the media types it names. */
			json_t *content = json_object_get(v, "content");
			json_t *media = json_object_get(content, "application/json");
			if (!media) { /* the first media type it names */
				const char *mt;
				json_t *mv;
				json_object_foreach(content, mt, mv) {
					media = mv;
					break;
				}
			}
			CHECK(json_object_get(media, "schema") != NULL);
		}
		/* One success answer, or two for an idempotent create (201 new,
		 * 200 already there). */
		CHECK(success == 1 || (success == 2 && json_object_get(resp, "201") &&
				       json_object_get(resp, "200")));
	}
	T_CASE("every route, once");
	CHECK_INT(ops, routes);
	T_CASE("Error: its code enum is the code table");
	size_t nerr;
	mc_errdefs(&nerr);
	json_t *code = json_object_get(
		json_object_get(json_object_get(json_object_get(json_object_get(
							    json_object_get(json_object_get(doc, "components"),
									    "schemas"),
							    "Error"),
						    "properties"),
				"error"),
				"properties"),
		"code");
	CHECK_INT((int)json_array_size(json_object_get(code, "enum")), (int)nerr);
	T_CASE("429 promises Retry-After");
	json_t *tmr = json_object_get(json_object_get(json_object_get(doc, "components"), "responses"),
				      "TooManyRequests");
	CHECK(json_object_get(json_object_get(tmr, "headers"), "Retry-After") != NULL);
	json_decref(doc);
}

int main(void)
{
	the_shipped_contract_is_whole();
	gaps_are_named();
	the_document();
	return t_done();
}
