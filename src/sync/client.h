/*
 * client.h - the node's side of the wire (docs/sync.md §6): enrolment and
 * push rounds over libcurl, and the sync thread `motcua serve` runs on a
 * node that enrolled. Above the app layer: it reaches the node through
 * app/sync.h only.
 */
#ifndef SYNC_CLIENT_H
#define SYNC_CLIENT_H

#include <jansson.h>

#include "app/sync.h"

/* libcurl's process-wide set-up: once, before any thread uses it. */
void sync_library_init(void);

/* Enrols this node with the hub at url (https://, or http:// on a
 * loopback address). OUT: *status "pending" or "approved" (static). */
MC_MUST_USE int sync_enrol(app *a, const char *url, mc_time now, const char **status, mc_err *e);

typedef struct {
	int batches;        /* batches acknowledged */
	int64_t events;     /* events they carried that the hub did not hold */
	int64_t bytes_up;   /* request bodies sent, compressed */
	int64_t bytes_down; /* answer bodies received */
	int64_t waiting;    /* events still not acknowledged after the round */
	int items;          /* items from the hub applied (docs/sync.md §7.2) */
	int files;          /* files the hub confirmed in this round (§12) */
	int64_t file_bytes; /* chunk bytes sent, resent ones included */
	int64_t files_waiting; /* stored files still not confirmed after the round */
} sync_round_stats;

/* One round: pulls what the hub has for this node (applying each item
 * once), then pushes batches until nothing is left or one fails. Records
 * every answer and failure in the node (app_sync_record/failed). Returns
 * MC_OK when the hub acknowledged everything. */
MC_MUST_USE int sync_round(app *a, sync_round_stats *st, mc_err *e);

/* The sync thread of `serve` (a node that has enrolled): a round at start,
 * after local writes, on sync_client_kick, and after failures with
 * full-jitter back-off. */
MC_MUST_USE int sync_client_start(const char *dir, mc_err *e);
void sync_client_stop(void);
/* Starts a round now (no-op when the thread is not running). */
void sync_client_kick(void);

#endif
