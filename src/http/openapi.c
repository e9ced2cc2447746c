/*
 * openapi.c - the API contract. The OpenAPI 3.1 document is made from two
 * sources and nothing else: the route table (src/http/route.c: paths,
 * methods, who may call, body limits, rate classes, operationId, tag,
 * request schema, response statuses) and src/http/contract.json, built
 * into the binary (schemas, path and query parameters, examples, tags).
 * The statuses the frame itself answers (401/403 before a signed-in
 * route, 413/415 before a body, 429 for a rate class, 500/503 for any)
 * are added here from the route's own fields, so the document says what
 * the dispatcher in route.c does.
 *
 * http_contract_problems checks that the two sources agree: a route with
 * no operationId, tag or response schema, a schema name with no schema,
 * an operation in contract.json that no route has. A unit test and
 * `motcua openapi --check` fail on any.
 */
#include "http/http_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>

#include "embedded.h"

#define CONTRACT_FILE "contract.json"

/* ---- the contract file ---- */

static json_t *g_contract;
static pthread_once_t g_contract_once = PTHREAD_ONCE_INIT;

static void contract_load(void)
{
	for (const mc_embedded_file *f = mc_embedded; f->name; f++) {
		if (strcmp(f->name, CONTRACT_FILE) != 0)
			continue;
		json_error_t je;
		g_contract = json_loadb((const char *)f->data, f->size, 0, &je);
		if (!g_contract)
			fprintf(stderr, "motcua: %s:%d: %s\n", CONTRACT_FILE, je.line, je.text);
		return;
	}
}

/* The parsed contract.json (borrowed; NULL if it is missing or broken,
 * which the unit test catches before a build ships). */
static json_t *contract(void)
{
	pthread_once(&g_contract_once, contract_load);
	return g_contract;
}

/* ---- pieces ---- */

/* What each error status means, and the name of its shared response. */
static const struct {
	int status;
	const char *name;
	const char *what;
} g_statuses[] = {
	{ 400, "BadRequest", "Bad input: malformed JSON, a wrong or missing field, text that is not valid" },
	{ 401, "Unauthorized", "Not signed in, or the session or token has ended" },
	{ 403, "Forbidden", "The caller's role may not do this, or the CSRF token is missing" },
	{ 404, "NotFound", "No such record" },
	{ 409, "Conflict", "The record's state does not allow this now" },
	{ 413, "PayloadTooLarge", "The body is larger than the route takes" },
	{ 414, "UriTooLong", "The path and query are longer than the server reads" },
	{ 415, "UnsupportedMediaType", "The body's Content-Type is not one the route takes" },
	{ 422, "UnprocessableContent", "The content cannot be used: a damaged file, an image too large, bytes that differ from those declared" },
	{ 429, "TooManyRequests", "Too many requests: wait Retry-After seconds" },
	{ 431, "HeadersTooLarge", "The request's headers are larger than the server reads" },
	{ 500, "ServerError", "Server or database failure" },
	{ 503, "Unavailable", "The server is busy or holds too much incoming data: try again" },
};

static int status_index(int status)
{
	for (size_t i = 0; i < sizeof g_statuses / sizeof g_statuses[0]; i++)
		if (g_statuses[i].status == status)
			return (int)i;
	return -1;
}

static json_t *ref(const char *kind, const char *name)
{
	char buf[160];
	snprintf(buf, sizeof buf, "#/components/%s/%s", kind, name);
	return json_pack("{s:s}", "$ref", buf);
}

/* "POST" -> "post" */
static void lower(const char *s, char *out, size_t size)
{
	size_t i;
	for (i = 0; s[i] && i < size - 1; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[i] = 0;
}

static json_t *who_json(unsigned who)
{
	if (who == HTTP_NODE)
		return json_pack("[s]", "node");
	json_t *a = json_array();
	for (unsigned bit = 1; bit <= ROLE_SUPERVISOR; bit <<= 1)
		if (who & bit)
			json_array_append_new(a, json_string(dsr_role_name((int)bit)));
	return a;
}

/* Walks a "200:Dossier 404 409" string: each call yields one status and
 * its schema name ("" for an error status). Returns 0 at the end, -1 on a
 * malformed item. */
static int next_response(const char **s, int *status, char *schema, size_t size)
{
	while (**s == ' ')
		(*s)++;
	if (!**s)
		return 0;
	char *end;
	long v = strtol(*s, &end, 10);
	if (end == *s || v < 100 || v > 599)
		return -1;
	*status = (int)v;
	schema[0] = 0;
	*s = end;
	if (**s == ':') {
		size_t n = strcspn(++*s, " ");
		if (n == 0 || n >= size)
			return -1;
		memcpy(schema, *s, n);
		schema[n] = 0;
		*s += n;
	}
	if (**s && **s != ' ')
		return -1;
	return 1;
}

/* The error statuses the frame answers for rt before its handler runs. */
static void frame_statuses(const http_route *rt, int *out, int *n)
{
	*n = 0;
	out[(*n)++] = 400; /* a path or query that is not UTF-8; a body on a GET */
	out[(*n)++] = 414; /* answered from the head, before routing */
	out[(*n)++] = 431;
	if (rt->who != HTTP_ANON) {
		out[(*n)++] = 401;
		out[(*n)++] = 403;
		out[(*n)++] = 429; /* requests in flight per session */
	}
	if (rt->body_max) {
		out[(*n)++] = 413;
		out[(*n)++] = 415;
	}
	if (rt->rate != HTTP_RATE_NONE)
		out[(*n)++] = 429;
	if (rt->handler != h_healthz && rt->handler != h_openapi) {
		out[(*n)++] = 500;
		out[(*n)++] = 503;
	} else if (rt->handler == h_healthz) {
		out[(*n)++] = 503;
	}
}

static json_t *request_body(const http_route *rt, json_t *opc)
{
	json_t *content = json_object();
	if (strchr(rt->request, '/')) {
		/* Raw uploads: one or more media types separated by spaces. */
		const char *s = rt->request;
		while (*s) {
			size_t n = strcspn(s, " ");
			char type[64];
			if (n && n < sizeof type) {
				memcpy(type, s, n);
				type[n] = 0;
				json_object_set_new(content, type,
						    json_pack("{s:{s:s}}", "schema", "type", "string"));
			}
			s += n;
			while (*s == ' ')
				s++;
		}
	} else {
		json_t *media = json_pack("{s:o}", "schema", ref("schemas", rt->request));
		json_t *ex = opc ? json_object_get(opc, "requestExamples") : NULL;
		if (ex)
			json_object_set(media, "examples", ex);
		json_object_set_new(content, "application/json", media);
	}
	return json_pack("{s:b, s:o}", "required", 1, "content", content);
}

static json_t *success_response(int status, const char *schema, json_t *opc)
{
	char st[16];
	snprintf(st, sizeof st, "%d", status);
	if (strchr(schema, '/')) {
		/* Raw bytes (a stored file): media types joined by ','. */
		json_t *content = json_object();
		char types[128];
		snprintf(types, sizeof types, "%s", schema);
		for (char *t = types, *end; t && *t; t = end ? end + 1 : NULL) {
			end = strchr(t, ',');
			if (end)
				*end = 0;
			json_object_set_new(content, t,
					    json_pack("{s:{s:s, s:s}}", "schema", "type", "string",
						      "format", "binary"));
		}
		return json_pack("{s:s, s:o}", "description", "The file's bytes", "content", content);
	}
	json_t *media = json_pack("{s:o}", "schema", ref("schemas", schema));
	json_t *ex = opc ? json_object_get(json_object_get(opc, "responseExamples"), st) : NULL;
	if (ex)
		json_object_set(media, "examples", ex);
	json_t *resp = json_pack("{s:s, s:{s:o}}", "description",
				 status == 201 ? "Created" : "OK", "content", "application/json",
				 media);
	json_t *headers = opc ? json_object_get(json_object_get(opc, "responseHeaders"), st) : NULL;
	if (headers)
		json_object_set(resp, "headers", headers);
	return resp;
}

static json_t *parameters(const http_route *rt, json_t *c, json_t *opc)
{
	json_t *params = json_array();
	json_t *pp = json_object_get(c, "pathParameters");
	for (const char *s = rt->pattern; (s = strchr(s, '{')) != NULL;) {
		const char *e = strchr(s, '}');
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(e - s - 1), s + 1);
		json_t *def = json_object_get(pp, name);
		json_t *p = json_pack("{s:s, s:s, s:b}", "name", name, "in", "path", "required", 1);
		if (def)
			json_object_update(p, def);
		else
			json_object_set_new(p, "schema", json_pack("{s:s}", "type", "string"));
		json_array_append_new(params, p);
		s = e;
	}
	json_t *q = opc ? json_object_get(opc, "parameters") : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(q, i, v) json_array_append(params, v);
	if (rt->who != HTTP_ANON && rt->who != HTTP_NODE && strcmp(rt->method, "GET") != 0)
		json_array_append_new(
			params, json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:s}}", "name", "X-CSRF-Token",
					  "in", "header", "required", 0, "description",
					  "Required when signed in by the session cookie: the csrf_token "
					  "the sign-in answered (not needed with a bearer token)",
					  "schema", "type", "string", "pattern", "^[0-9a-f]{64}$"));
	return params;
}

struct resp_item {
	int status;
	json_t *v;
};

static json_t *operation(const http_route *rt, json_t *c)
{
	json_t *opc = json_object_get(json_object_get(c, "operations"), rt->op);
	json_t *op = json_pack("{s:s, s:[s], s:s, s:o, s:o, s:i, s:s}", "operationId", rt->op, "tags",
			       rt->tag, "summary", rt->summary, "parameters", parameters(rt, c, opc),
			       "x-roles", who_json(rt->who), "x-body-limit",
			       (json_int_t)rt->body_max, "x-rate-class", http_rate_name(rt->rate));
	json_t *desc = opc ? json_object_get(opc, "description") : NULL;
	if (desc)
		json_object_set(op, "description", desc);
	if (json_array_size(json_object_get(op, "parameters")) == 0)
		json_object_del(op, "parameters");
	json_object_set_new(op, "security",
			    rt->who == HTTP_ANON ? json_array()
			    : rt->who == HTTP_NODE
				    ? json_pack("[{s:[]}]", "nodeKey")
				    : json_pack("[{s:[]}, {s:[]}]", "cookieAuth", "bearerAuth"));
	if (rt->request)
		json_object_set_new(op, "requestBody", request_body(rt, opc));
	/* Statuses in order: the route's own, then the frame's. */
	struct resp_item got[24];
	int ng = 0, status, k;
	const char *s = rt->responses ? rt->responses : "";
	char schema[128], st[16];
	while ((k = next_response(&s, &status, schema, sizeof schema)) > 0 && ng < 24) {
		if (schema[0])
			got[ng++] = (struct resp_item){ status, success_response(status, schema, opc) };
		else if (status_index(status) >= 0)
			got[ng++] = (struct resp_item){
				status, ref("responses", g_statuses[status_index(status)].name)
			};
	}
	int frame[12], nf;
	frame_statuses(rt, frame, &nf);
	for (int i = 0; i < nf && ng < 24; i++)
		got[ng++] = (struct resp_item){
			frame[i], ref("responses", g_statuses[status_index(frame[i])].name)
		};
	json_t *responses = json_object();
	for (int lo = 100; lo < 600;) { /* by status; the first of a status wins */
		int next = 600;
		for (int i = 0; i < ng; i++) {
			if (got[i].status == lo && got[i].v) {
				snprintf(st, sizeof st, "%d", lo);
				json_object_set_new(responses, st, got[i].v);
				got[i].v = NULL;
				for (int j = i + 1; j < ng; j++)
					if (got[j].status == lo) {
						json_decref(got[j].v);
						got[j].v = NULL;
					}
			} else if (got[i].status > lo && got[i].status < next) {
				next = got[i].status;
			}
		}
		lo = next;
	}
	json_object_set_new(op, "responses", responses);
	return op;
}

/* Error: every stable code; one shared response per status, whose code
 * enum lists only the codes answered with that status. */
static void error_components(json_t *schemas, json_t *responses)
{
	size_t nerr;
	const mc_errdef *d = mc_errdefs(&nerr);
	json_t *all = json_array();
	for (size_t i = 0; i < nerr; i++)
		json_array_append_new(all, json_string(d[i].name));
	json_object_set_new(
		schemas, "Error",
		json_pack("{s:s, s:s, s:[s], s:b, s:{s:{s:s, s:[s, s], s:b, s:{s:{s:s, s:o}, "
			  "s:{s:s, s:i, s:s}}}}}",
			  "type", "object", "description",
			  "An error answer. code is stable (docs/api.md, Errors); message is "
			  "Vietnamese, or English when Accept-Language prefers en",
			  "required", "error", "additionalProperties", 0, "properties", "error",
			  "type", "object", "required", "code", "message", "additionalProperties", 0,
			  "properties", "code", "type", "string", "enum", all, "message", "type",
			  "string", "minLength", 1, "description", "A sentence for a person"));
	/* A hub's refusal of a push also says where the hub stands (docs/sync.md §5.2). */
	json_object_set_new(json_object_get(json_object_get(schemas, "Error"), "properties"), "head",
			    ref("schemas", "SyncHead"));
	/* A chunk at the wrong offset also says where to resume (uploads). */
	json_object_set_new(json_object_get(json_object_get(schemas, "Error"), "properties"),
			    "expected_offset", json_pack("{s:s, s:i}", "type", "integer", "minimum", 0));
	for (size_t i = 0; i < sizeof g_statuses / sizeof g_statuses[0]; i++) {
		json_t *codes = json_array();
		for (size_t j = 0; j < nerr; j++)
			if (d[j].status == g_statuses[i].status)
				json_array_append_new(codes, json_string(d[j].name));
		json_t *schema = json_pack(
			"{s:[o, {s:{s:{s:{s:{s:o}}}}}]}", "allOf", ref("schemas", "Error"),
			"properties", "error", "properties", "code", "enum", codes);
		json_t *resp = json_pack("{s:s, s:{s:{s:o}}}", "description", g_statuses[i].what,
					 "content", "application/json", "schema", schema);
		if (g_statuses[i].status == 429 || g_statuses[i].status == 503)
			json_object_set_new(
				resp, "headers",
				json_pack("{s:{s:s, s:b, s:{s:s, s:i}}}", "Retry-After", "description",
					  "Seconds to wait before trying again", "required",
					  g_statuses[i].status == 429, "schema", "type", "integer",
					  "minimum", 0));
		json_object_set_new(responses, g_statuses[i].name, resp);
	}
}

json_t *http_openapi(void)
{
	json_t *c = contract();
	if (!c)
		return NULL;
	json_t *paths = json_object();
	for (const http_route *rt = http_routes; rt->method; rt++) {
		json_t *p = json_object_get(paths, rt->pattern);
		if (!p) {
			p = json_object();
			json_object_set_new(paths, rt->pattern, p);
		}
		char m[8];
		lower(rt->method, m, sizeof m);
		json_object_set_new(p, m, operation(rt, c));
	}
	json_t *schemas = json_deep_copy(json_object_get(c, "schemas"));
	json_t *responses = json_object();
	if (!schemas)
		schemas = json_object();
	error_components(schemas, responses);
	json_t *info = json_deep_copy(json_object_get(c, "info"));
	json_t *tags = json_deep_copy(json_object_get(c, "tags"));
	return json_pack(
		"{s:s, s:o, s:[{s:s, s:s}], s:o, s:o, s:{s:o, s:o, s:{s:{s:s, s:s, s:s, s:s}, "
		"s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}}}",
		"openapi", "3.1.0", "info", info ? info : json_object(), "servers", "url", "/",
		"description", "This node", "tags", tags ? tags : json_array(), "paths", paths,
		"components", "schemas", schemas, "responses", responses, "securitySchemes",
		"cookieAuth", "type", "apiKey", "in", "cookie", "name", HTTP_SESSION_COOKIE,
		"description", "The session cookie POST /api/v1/session sets; writes also send X-CSRF-Token",
		"bearerAuth", "type", "http", "scheme", "bearer", "description",
		"An API token (motcua token create)", "nodeKey", "type", "apiKey", "in", "header",
		"name", "Motcua-Key", "description",
		"A commune node's approved Ed25519 public key (hex); the body is signed in "
		"Motcua-Signature (docs/sync.md)");
}

/* ---- the check ---- */

static void problem(json_t *list, const http_route *rt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(json_t *list, const http_route *rt, const char *fmt, ...)
{
	char buf[256];
	int n = rt ? snprintf(buf, sizeof buf, "%s %s: ", rt->method, rt->pattern) : 0;
	if (n < 0 || (size_t)n >= sizeof buf)
		n = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
	va_end(ap);
	json_array_append_new(list, json_string(buf));
}

static int is_camel(const char *s)
{
	if (!s || !islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

static int has_tag(json_t *tags, const char *tag)
{
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t)
	{
		const char *name = json_string_value(json_object_get(t, "name"));
		if (tag && name && strcmp(name, tag) == 0)
			return 1;
	}
	return 0;
}

json_t *http_contract_problems(const http_route *routes, const json_t *contract_doc)
{
	json_t *list = json_array();
	json_t *c = contract_doc ? (json_t *)(uintptr_t)contract_doc : contract();
	if (!c) {
		problem(list, NULL, "%s is missing or is not valid JSON", CONTRACT_FILE);
		return list;
	}
	json_t *schemas = json_object_get(c, "schemas");
	json_t *ops = json_object_get(c, "operations");
	json_t *tags = json_object_get(c, "tags");
	for (const http_route *rt = routes; rt->method; rt++) {
		if (!is_camel(rt->op))
			problem(list, rt, "no operationId (camelCase letters and digits)");
		else
			for (const http_route *o = routes; o < rt; o++)
				if (o->op && strcmp(o->op, rt->op) == 0)
					problem(list, rt, "operationId %s is used twice", rt->op);
		int tag_ok = has_tag(tags, rt->tag);
		if (!tag_ok)
			problem(list, rt, "tag '%s' is not among contract.json's tags",
				rt->tag ? rt->tag : "");
		if (rt->body_max && !rt->request)
			problem(list, rt, "takes a body but names no request schema");
		if (!rt->body_max && rt->request)
			problem(list, rt, "names a request schema but takes no body");
		if (rt->request && !strchr(rt->request, '/') && !json_object_get(schemas, rt->request))
			problem(list, rt, "request schema %s is not in contract.json", rt->request);
		const char *s = rt->responses ? rt->responses : "";
		int status, k, success = 0;
		char schema[128];
		while ((k = next_response(&s, &status, schema, sizeof schema)) > 0) {
			if (status < 300) {
				success++;
				if (!schema[0])
					problem(list, rt, "success status has no schema");
				else if (!strchr(schema, '/') && !json_object_get(schemas, schema))
					problem(list, rt, "response schema %s is not in contract.json",
						schema);
			} else if (schema[0]) {
				problem(list, rt, "error status with a schema (errors are Error): %s",
					schema);
			} else if (status_index(status) < 0) {
				problem(list, rt, "status %d has no shared error response", status);
			}
		}
		if (k < 0)
			problem(list, rt, "responses '%s' is malformed", rt->responses);
		else if (!success)
			problem(list, rt, "no success response with its schema");
		for (const char *p = rt->pattern; (p = strchr(p, '{')) != NULL; p++) {
			char name[32];
			snprintf(name, sizeof name, "%.*s", (int)strcspn(p + 1, "}"), p + 1);
			if (!json_object_get(json_object_get(c, "pathParameters"), name))
				problem(list, rt, "path parameter {%s} is not in contract.json", name);
		}
	}
	const char *key;
	json_t *v;
	json_object_foreach(ops, key, v)
	{
		const http_route *rt = routes;
		while (rt->method && !(rt->op && strcmp(rt->op, key) == 0))
			rt++;
		if (!rt->method)
			problem(list, NULL, "contract.json describes operation %s, which no route has",
				key);
	}
	return list;
}
