/*
 * units.h - the units (đơn vị) officers belong to and office records are
 * assigned to (issue 14): a node's own offices (scope "node") and the
 * province's departments (scope "province"), which every node knows.
 * Administrators add, rename and retire them (unit.saved events); a unit
 * is never deleted, so every record that names one can still show it.
 */
#ifndef APP_UNITS_H
#define APP_UNITS_H

#include "app/app.h"

typedef struct {
	char code[32];
	char name[256];
	char abbr[32];  /* for document symbols (…/UBND-VP) */
	char scope[16]; /* node | province */
	int active;
} app_unit;

/* The active unit with that code. MCE_UNIT_UNKNOWN (400) if none. */
MC_MUST_USE int app_unit_get(app *a, const char *code, app_unit *out, mc_err *e);

/* Every unit (any officer). OUT: *out {"units": [{"code", "name", "abbr",
 * "scope", "active"}]}: the node's own first, then the departments, by
 * name. */
MC_MUST_USE int app_units(app *a, const app_actor *by, json_t **out, mc_err *e);

/* Adds or changes unit code (administrator): body {"name", "abbr",
 * "scope", "active"?}; for a unit that exists any of them may be left
 * out. Code: 1-16 of A-Z, 0-9. OUT: *out the unit's JSON. */
MC_MUST_USE int app_unit_save(app *a, const app_actor *by, const char *code, json_t *body,
			      mc_time now, json_t **out, mc_err *e);

#endif
