/*
 * attach.h - attachments of office records (issue 14): a document's scan,
 * a task's progress report, a recommendation's papers, an answer. Stored
 * like a dossier's scans (checked by fcheck.h, once by content in the blob
 * store, a file row) and logged as attachment.added, so that the bytes
 * travel to the hub after it accepts the event (docs/sync.md §12). Records
 * name their attachments as {"sha256","filename","mime","size"} in their
 * rows and events.
 */
#ifndef APP_ATTACH_H
#define APP_ATTACH_H

#include "app/app.h"

#define APP_ATTACH_MAX (20LL << 20) /* bytes of one attachment (the route's body limit) */
#define APP_ATTACH_PER_RECORD 20    /* attachments one record names at most */

/*
 * Stores n bytes as an attachment (any officer): PDF, JPEG, PNG or TIFF,
 * checked as a scan is. filename: as the officer's machine named it (may
 * be NULL). The same bytes uploaded again answer the first record. OUT:
 * *out {"sha256","filename","mime","size","pages","added_by","added_at"}.
 */
MC_MUST_USE int app_attach_put(app *a, const app_actor *by, const char *filename,
			       const void *data, size_t n, mc_time now, json_t **out, mc_err *e);

/*
 * shas: a JSON array of sha256 strings (at most APP_ATTACH_PER_RECORD;
 * NULL for none). Each must name an attachment held here: else
 * MCE_ATTACH_UNKNOWN naming it. OUT: *out a new array of
 * {"sha256","filename","mime","size"} in the same order, duplicates
 * dropped (caller decrefs).
 */
MC_MUST_USE int app_attach_resolve(app *a, const json_t *shas, json_t **out, mc_err *e);

/*
 * The bytes of an attachment for an officer of this node. On a hub, also a
 * commune's attachment whose bytes arrived. OUT: *data (caller frees),
 * *len, mime (64 bytes), filename (size bytes: "<hash>.<ext>").
 */
MC_MUST_USE int app_attach_get(app *a, const app_actor *by, const char *sha256, char **data,
			       size_t *len, char mime[64], char *filename, size_t size, mc_err *e);

/*
 * On a node, inside the caller's transaction (a pull item being applied):
 * each of list's {"sha256","filename","mime","size"} this node does not
 * hold is fetched from the hub in the next sync round's files step. A
 * malformed entry: MC_EINVAL (the item is skipped with its reason).
 */
MC_MUST_USE int app_attach_want(app *a, const json_t *list, mc_time now, mc_err *e);

/* On a hub, inside the push's transaction: a commune's attachment.added
 * event recorded so that its bytes may follow (docs/sync.md §12). */
MC_MUST_USE int app_hub_attach_event(app *a, const char *agency, int64_t chain, int64_t seq,
				     const json_t *payload, mc_err *e);

#endif
