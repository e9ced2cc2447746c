/*
 * http.h - the HTTP layer: one request as handlers see it, the response they
 * build, the route table, the server and its rate limiter. Handlers stay
 * thin: parse, one app call, JSON out. No SQL here.
 */
#ifndef HTTP_H
#define HTTP_H

#include <jansson.h>

#include "app/app.h"

#define HTTP_MAX_BODY (1u << 20)    /* an officer's JSON body */
#define HTTP_MAX_ANON_BODY 8192u    /* an anonymous body: sign-in, a rating (1000 characters of comment) */
#define HTTP_MAX_UPLOAD (16u << 20) /* catalog and calendar files (admin) */
#define HTTP_SESSION_COOKIE "motcua_session"

struct MHD_Connection;

typedef struct {
	/* request */
	const char *method;
	const char *path; /* without the query string */
	char *body;       /* NUL-terminated; NULL if none */
	size_t body_len;
	struct MHD_Connection *conn;
	char address[64]; /* client IP */
	mc_time now;
	app *app;         /* this thread's connection to the node */
	const char *params[4]; /* {name} parts of the path, in order */
	int nparams;
	/* who (set by the dispatcher before the handler runs) */
	int authed;
	int by_cookie;
	app_actor actor;
	const char *session_token;
	/* response */
	int status;
	json_t *json;      /* body, owned */
	char *raw;         /* or a raw body (static files later), owned */
	size_t raw_len;
	const char *raw_type;
	char disposition[128]; /* Content-Disposition of a raw answer, "" if none */
	char set_cookie[256];
	int retry_after;   /* seconds, for 429 */
	int replayed;      /* an Idempotency-Key retry: "Idempotent-Replayed: true" */
	char signature[130]; /* a hub's answer to a node: Motcua-Signature (hex) */
	int is_static;     /* a UI file: gets the CSP and may be cached */
	/* set by http_admit */
	const struct http_route *route; /* NULL: a UI file or an error */
	char allow[48];    /* for 405: the methods the path takes */
	int secure;        /* reached over HTTPS (a trusted proxy said so) */
	char inflight[72]; /* the session or token counted in flight, "" if none */
} http_req;

/* Serves an embedded UI file for r->path (GET only). Returns 1 if it did. */
int http_static(http_req *r);

/* Query parameter or header (NULL if absent). */
const char *http_arg(http_req *r, const char *name);
const char *http_header(http_req *r, const char *name);
const char *http_cookie(http_req *r, const char *name);
/* 1 if every query parameter is valid UTF-8 without control characters. */
int http_args_valid(http_req *r);

/* 1 if the client asked for English (Accept-Language prefers en to vi);
 * Vietnamese is the default. */
int http_lang_en(http_req *r);
/* Sets the JSON error {"error":{"code","message"}} for the stable code id
 * (mc_errors.def), with the message in the client's language; returns the
 * code's HTTP status. */
int http_error(http_req *r, int id, const char *vi, const char *en, ...)
	__attribute__((format(printf, 3, 5), format(printf, 4, 5)));
/* Answers e: its code's status and its message in the client's language. */
int http_fail(http_req *r, const mc_err *e);
/* Answers e's message under the stable code id instead of e's own. */
int http_fail_as(http_req *r, int id, const mc_err *e);
/* Sets a JSON success response (takes the reference). */
int http_ok(http_req *r, int status, json_t *j);

/* Who may call a route: HTTP_ANON (no sign-in), or a mask of ROLE_*. */
#define HTTP_ANON 0u
#define HTTP_STAFF (ROLE_RECEPTION | ROLE_SPECIALIST | ROLE_LEADER | ROLE_ADMIN)
#define HTTP_OFFICERS (HTTP_STAFF | ROLE_SUPERVISOR)
/* A commune node calling its hub: an approved Ed25519 key named by the
 * Motcua-Key header, each body signed (docs/sync.md §4). */
#define HTTP_NODE (1u << 24)

/* Rate classes: how often a client may call a route. */
enum {
	HTTP_RATE_NONE = 0, /* signed-in officers: per-session concurrency only */
	HTTP_RATE_PUBLIC,   /* anonymous look-up and rating: one allowance per address */
	HTTP_RATE_SIGNIN,   /* sign-in: per (login, address) lockout */
};

enum {
	ROUTE_SNAPSHOT = 1 << 0, /* the handler reads in one snapshot */
};

/* One endpoint: everything the dispatcher decides before the body is read
 * (who, how large, how often) and what it prepares (a read snapshot). The
 * OpenAPI document, the Allow header and docs/api.md come from this table. */
typedef struct http_route {
	const char *method;
	const char *pattern; /* "/api/v1/dossiers/{code}" */
	int (*handler)(http_req *r);
	unsigned who;        /* HTTP_ANON or a mask of ROLE_* */
	size_t body_max;     /* 0: takes no body */
	int rate;            /* HTTP_RATE_* */
	int flags;           /* ROUTE_* */
	const char *summary; /* for the OpenAPI document and docs/api.md */
	/* The contract (src/http/openapi.c builds the OpenAPI document from
	 * these and the schemas of src/http/contract.json). */
	const char *op;      /* operationId, camelCase, unique */
	const char *tag;     /* one of contract.json's tags */
	const char *request; /* body: a schema name of contract.json, or a
			      * media type ("text/csv") for a raw body; NULL
			      * when the route takes none */
	const char *responses; /* "200:Dossier 404 409": a success status with
				* its schema name, then the error statuses the
				* handler itself may answer (those the frame
				* answers for every route, such as 401 or 413,
				* are added from who, body_max and rate) */
} http_route;

/* Sorted by pattern, then method; terminated by a NULL method. */
extern const http_route http_routes[];

/* Finds the route for method and path; fills r->params. OUT: *path_exists
 * is 1 if the path exists for another method (405). */
const http_route *http_route_find(http_req *r, int *path_exists);
/* The methods the route pattern takes, "GET, HEAD, POST", into out. */
void http_route_allow(const char *pattern, char *out, size_t size);

/*
 * Decides a request from its head alone, before any byte of its body is
 * kept: route, rate class, sign-in, role, CSRF. Returns 0 if it may go on
 * (then read at most http_body_max(r) bytes of body and call http_run), or
 * the status of the refusal already set in r.
 */
int http_admit(http_req *r);
/* The largest body the admitted request may send. */
size_t http_body_max(const http_req *r);
/* Runs an admitted request whose body (if any) is in r->body. */
void http_run(http_req *r);
/* Called when the request is over (answered or aborted). */
void http_done(http_req *r);
/* The OpenAPI 3.1 document of every route (openapi.c), made from the
 * route table and src/http/contract.json; NULL if that file is broken. */
json_t *http_openapi(void);
/* What is missing from the contract of routes (a NULL-method-ended table)
 * against contract (NULL: the built-in contract.json): an array of
 * sentences naming the route, empty when the contract is whole. */
json_t *http_contract_problems(const http_route *routes, const json_t *contract);
/* "public", "signin" or "session". */
const char *http_rate_name(int rate);
/* The endpoint list of docs/api.md, made from the route table. */
void http_routes_markdown(FILE *out);
/* The stable error codes as a Markdown table (docs/api.md, Errors). */
void http_errors_markdown(FILE *out);

/* ---- rate limiting (rate.c) ---- */
/* A fixed window of max events per window_secs for (bucket, key). 1 if
 * allowed now; else 0 and *retry_after seconds. */
int rate_allow(const char *bucket, const char *key, int max, int window_secs, mc_time now,
	       int *retry_after);
/* Sign-in back-off. Locks count per (login, address); an address that
 * signed in as login before is never slowed by failures from elsewhere. 1
 * if a try may go on now; else 0 and *retry_after seconds. */
int rate_login_allowed(const char *login, const char *address, mc_time now, int *retry_after);
void rate_login_failed(const char *login, const char *address, mc_time now);
void rate_login_succeeded(const char *login, const char *address, mc_time now);
/* Wrong phone digits for a dossier code: after RATE_CODE_MAX within an
 * hour, the code's public look-up and rating pause. */
#define RATE_CODE_MAX 10
int rate_code_allowed(const char *code, mc_time now, int *retry_after);
void rate_code_wrong(const char *code, mc_time now);
/* Requests in flight per session or token: 1 and counted if below max;
 * rate_inflight_end undoes one. */
int rate_inflight_begin(const char *key, int max);
void rate_inflight_end(const char *key);
void rate_reset(void);

/* ---- server (srv.c) ---- */
typedef struct {
	const char *listen;        /* "127.0.0.1:8080" */
	const char *trusted_proxy; /* an IPv4 address whose X-Forwarded-* is believed, or NULL */
} http_serve_opts;

/* The address a request counts as (the client behind a trusted proxy). */
extern char http_trusted_proxy[64];

/* Serves dir until SIGINT/SIGTERM. */
MC_MUST_USE int http_serve(const char *dir, const http_serve_opts *o, mc_err *e);

#endif
