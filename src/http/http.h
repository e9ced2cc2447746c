/*
 * http.h - the HTTP layer: one request as handlers see it, the response they
 * build, the route table, the server and its rate limiter. Handlers stay
 * thin: parse, one app call, JSON out. No SQL here.
 */
#ifndef HTTP_H
#define HTTP_H

#include <jansson.h>

#include "app/app.h"

#define HTTP_MAX_BODY (1u << 20)    /* JSON bodies up to 1 MiB */
#define HTTP_MAX_UPLOAD (16u << 20) /* catalog and calendar files */
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
	char set_cookie[256];
	int retry_after;   /* seconds, for 429 */
	int replayed;      /* an Idempotency-Key retry: "Idempotent-Replayed: true" */
	int is_static;     /* a UI file: gets the CSP and may be cached */
} http_req;

/* Serves an embedded UI file for r->path (GET only). Returns 1 if it did. */
int http_static(http_req *r);

/* Query parameter or header (NULL if absent). */
const char *http_arg(http_req *r, const char *name);
const char *http_header(http_req *r, const char *name);
const char *http_cookie(http_req *r, const char *name);
/* 1 if every query parameter is valid UTF-8 without control characters. */
int http_args_valid(http_req *r);

/* Sets a JSON error response {"error":{"code","message"}}; returns status. */
int http_error(http_req *r, int status, const char *code, const char *fmt, ...) MC_PRINTF(4, 5);
/* Maps an mc_err to its status (400, 403, 404, 409, 500, 503) and sets it. */
int http_fail(http_req *r, const mc_err *e);
/* Sets a JSON success response (takes the reference). */
int http_ok(http_req *r, int status, json_t *j);

enum {
	ROUTE_PUBLIC = 1 << 0, /* no sign-in needed */
	ROUTE_BODY = 1 << 1,   /* takes a JSON body */
	ROUTE_LIMITED = 1 << 2, /* public and rate-limited per address */
};

typedef struct {
	const char *method;
	const char *pattern; /* "/api/v1/dossiers/{code}" */
	int (*handler)(http_req *r);
	int flags;
	const char *summary; /* for the OpenAPI document */
} http_route;

extern const http_route http_routes[];

/* Finds the route for method and path; fills r->params. OUT: *allowed_other
 * is 1 if the path exists for another method (405). */
const http_route *http_route_find(http_req *r, int *path_exists);
/* The largest body a route takes. */
size_t http_body_limit(const char *method, const char *path);
/* Runs the whole request: route, authentication, CSRF, limits, handler. */
void http_dispatch(http_req *r);
/* The OpenAPI 3 document of every route. */
json_t *http_openapi(void);

/* ---- rate limiting (rate.c) ---- */
/* 1 if key may proceed now; else 0 and *retry_after seconds. Sliding
 * window of max events per window_secs. */
int rate_allow(const char *bucket, const char *key, int max, int window_secs, mc_time now,
	       int *retry_after);
/* Login back-off: call before checking a password; 0 and *retry_after if
 * locked out. */
int rate_login_allowed(const char *key, mc_time now, int *retry_after);
void rate_login_failed(const char *key, mc_time now);
void rate_login_succeeded(const char *key);
void rate_reset(void);

/* ---- server (srv.c) ---- */
/* Serves dir on listen ("127.0.0.1:8080") until SIGINT/SIGTERM. */
MC_MUST_USE int http_serve(const char *dir, const char *listen, mc_err *e);

#endif
