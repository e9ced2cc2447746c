/*
 * st_sync.h - the tables of sync (docs/sync.md §8): on a node its view of
 * the hub (sync_state, sync_verdict); on a hub the enrolled nodes, their
 * events and the province's copy of every commune's dossiers (hub_*).
 * Every function runs inside the caller's transaction or snapshot.
 */
#ifndef ST_SYNC_H
#define ST_SYNC_H

#include "st.h"

/* ---- node side ---- */
/* One sync_state value: MC_ENOTFOUND (no message) if unset. OUT: *value
 * (free it). */
MC_MUST_USE int st_sync_get(st *s, const char *key, char **value, mc_err *e);
MC_MUST_USE int st_sync_set(st *s, const char *key, const char *value, mc_err *e);
MC_MUST_USE int st_sync_verdict_put(st *s, int64_t seq, const char *verdict, const char *code,
				    const char *message, mc_time at, mc_err *e);
typedef int (*st_sync_verdict_cb)(void *ctx, int64_t seq, const char *verdict,
				  const char *code, const char *message, mc_time at);
MC_MUST_USE int st_sync_verdict_list(st *s, st_sync_verdict_cb cb, void *ctx, mc_err *e);

/* ---- hub side ---- */
typedef struct {
	char agency[64];
	int64_t chain;
	char key[65];
	char name[256];
	char status[12]; /* pending | approved | revoked */
	mc_time enrolled_at, decided_at, last_push_at; /* 0: never */
	char decided_by[64];
	int64_t acked_seq;
	char acked_hash[65];
	char last_batch[65];
	int64_t clock_skew_s;
	int64_t rejected;
} st_hub_node;

/* The node of an Ed25519 public key (hex): MC_ENOTFOUND if none. */
MC_MUST_USE int st_hub_node_by_key(st *s, const char *key, st_hub_node *n, mc_err *e);
/* The next chain number for agency (1 for its first key). */
MC_MUST_USE int st_hub_chain_next(st *s, const char *agency, int64_t *chain, mc_err *e);
MC_MUST_USE int st_hub_node_insert(st *s, const st_hub_node *n, mc_err *e);
MC_MUST_USE int st_hub_node_decide(st *s, const char *key, const char *status, const char *by,
				   mc_time at, mc_err *e);
/* Records an acknowledged batch: the new ack, the batch's id, when, the
 * node's clock skew and how many more events got a verdict. */
MC_MUST_USE int st_hub_node_acked(st *s, const char *agency, int64_t chain, int64_t seq,
				  const char *hash, const char *batch, mc_time at, int64_t skew,
				  int64_t rejected_more, mc_err *e);
typedef int (*st_hub_node_cb)(void *ctx, const st_hub_node *n);
MC_MUST_USE int st_hub_node_list(st *s, st_hub_node_cb cb, void *ctx, mc_err *e);

typedef struct {
	int64_t seq;
	const char *at, *actor, *kind, *dossier, *payload, *prev_hash, *hash;
	const char *verdict, *verdict_code, *verdict_msg;
} st_hub_event;
MC_MUST_USE int st_hub_event_insert(st *s, const char *agency, int64_t chain,
				    const st_hub_event *ev, const char *batch, mc_time at,
				    mc_err *e);
/* The hash the hub holds for (agency, chain, seq): MC_ENOTFOUND if none. */
MC_MUST_USE int st_hub_event_hash(st *s, const char *agency, int64_t chain, int64_t seq,
				  char out[65], mc_err *e);
typedef int (*st_hub_event_cb)(void *ctx, const st_hub_event *ev);
/* Events of one chain with seq > after, ascending. */
MC_MUST_USE int st_hub_event_list(st *s, const char *agency, int64_t chain, int64_t after,
				  st_hub_event_cb cb, void *ctx, mc_err *e);
typedef int (*st_hub_chain_cb)(void *ctx, const char *agency, int64_t chain);
/* Every (agency, chain) that holds events. */
MC_MUST_USE int st_hub_event_chains(st *s, st_hub_chain_cb cb, void *ctx, mc_err *e);

typedef struct {
	const char *agency, *code, *procedure, *state, *name, *fold;
	int open;
	const char *received_at, *due_at, *finished_at; /* due/finished may be NULL */
	int64_t last_seq;
	const char *body;
	/* What the supervision reports read (schema 0014), as times. */
	mc_time event_at; /* the event applied; 0: unknown */
	const char *channel, *assignee, *timeliness;
	mc_time r_received, r_finished, r_due_legal, r_paused;
	int components;
} st_hub_dossier;
/* The owner of a dossier code: MC_ENOTFOUND if the hub has none. */
MC_MUST_USE int st_hub_dossier_owner(st *s, const char *code, char agency[64], mc_err *e);
/* Inserts or replaces the hub's copy (its owner is d->agency). */
MC_MUST_USE int st_hub_dossier_put(st *s, const st_hub_dossier *d, mc_err *e);

/* Per commune: dossiers, open ones, open ones past due at now (an ISO
 * time like the stored due_at). */
typedef int (*st_hub_count_cb)(void *ctx, const char *agency, int64_t total, int64_t open,
			       int64_t overdue);
MC_MUST_USE int st_hub_dossier_counts(st *s, const char *now_iso, st_hub_count_cb cb, void *ctx,
				      mc_err *e);
/* Dossiers whose folded code, name or procedure contains fold_q (all when
 * NULL), newest first, at most limit. */
typedef int (*st_hub_dossier_cb)(void *ctx, const st_hub_dossier *d);
MC_MUST_USE int st_hub_dossier_search(st *s, const char *fold_q, const char *agency, int limit,
				      st_hub_dossier_cb cb, void *ctx, mc_err *e);
/* The events on one dossier code, every node's, in (agency, chain, seq)
 * order. */
typedef int (*st_hub_devent_cb)(void *ctx, const char *agency, int64_t chain,
				const st_hub_event *ev);
MC_MUST_USE int st_hub_dossier_events(st *s, const char *code, st_hub_devent_cb cb, void *ctx,
				      mc_err *e);

/* ---- what the hub sends down (docs/sync.md §7.2) ---- */
typedef struct {
	int64_t cursor; /* set by the store */
	const char *agency; /* a commune, or "*" for all */
	const char *stream, *kind, *hash, *body, *actor;
	mc_time at;
} st_hub_item;
/* Appends an item. OUT: *cursor (may be NULL). */
MC_MUST_USE int st_hub_outbox_put(st *s, const st_hub_item *it, int64_t *cursor, mc_err *e);
typedef int (*st_hub_item_cb)(void *ctx, const st_hub_item *it);
/* Items for agency (its own and those to all) after a cursor, oldest
 * first, at most limit. */
MC_MUST_USE int st_hub_outbox_list(st *s, const char *agency, int64_t after, int limit,
				   st_hub_item_cb cb, void *ctx, mc_err *e);
/* The newest cursor for agency (0: none). */
MC_MUST_USE int st_hub_outbox_high(st *s, const char *agency, int64_t *high, mc_err *e);
/* Whether agency has an approved node on this hub. */
MC_MUST_USE int st_hub_agency_approved(st *s, const char *agency, int *approved, mc_err *e);
/* On a node: whether an item (by hash) was applied, and records one. */
MC_MUST_USE int st_sync_item_seen(st *s, const char *hash, int *seen, mc_err *e);
MC_MUST_USE int st_sync_item_put(st *s, const char *hash, int64_t cursor, const char *stream,
				 const char *kind, int64_t seq, mc_time at, mc_err *e);

#endif
