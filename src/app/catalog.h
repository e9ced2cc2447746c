/*
 * catalog.h - the procedure catalog: one administrative procedure (thủ tục
 * hành chính) as a JSON object in the project's clean format
 * "motcua-catalog/1" (docs/catalog-format.md), made from either a crawl of
 * the national public service portal or an object already in that format.
 */
#ifndef CATALOG_H
#define CATALOG_H

#include "mc.h"

#include <jansson.h>

#define CATALOG_FORMAT "motcua-catalog/1"

/*
 * Validates in and returns its clean form (OUT: *out, a new reference the
 * caller decrefs). in is either a portal crawl object (it has "ma_thu_tuc")
 * or a clean object (it has "code"); a clean object comes back in canonical
 * key order, so normalizing a clean object again gives the same JSON.
 * OUT: *complete is 1 if every channel's time, the components and the result
 * were understood, 0 if some were kept only as raw text (listed in
 * "unparsed"). Returns MC_OK, or MC_EINVAL naming the field when a crawl
 * object has no usable code or name, or a clean object is malformed.
 */
MC_MUST_USE int catalog_normalize(json_t *in, json_t **out, int *complete, mc_err *e);

/* Drops, from every string in j, the invisible and direction-changing
 * characters reception refuses (txt_has_format_char). The national portal's
 * text carries stray U+200E marks; the catalog keeps its source's text, and
 * app_catalog_get gives it without them, so that a component name ticked
 * from the catalog passes the reception's check. */
void catalog_strip_invisible(json_t *j);

/*
 * Processing time of a clean procedure for a submission channel ("direct",
 * "online", "postal"): the first entry of that channel with a time, else the
 * first direct entry with one, else the first entry with one.
 * OUT: *amount, *unit (DL_WORKING_DAYS ... DL_SAME_DAY). Returns MC_OK,
 * MC_EINVAL for an unknown channel, MC_ENOTFOUND if no entry has a time.
 */
MC_MUST_USE int catalog_channel_time(json_t *clean, const char *channel, double *amount,
				     int *unit, mc_err *e);

#endif
