-- Schema version 7: sync between commune nodes and the provincial hub
-- (docs/sync.md). Node tables first, then the hub's (empty on a node).
-- Every hub table carries the agency first in its key, so a PostgreSQL
-- backend can partition by it without reshaping.

-- The node's view of its hub: one row per key (hub_url, hub_key, epoch,
-- chain, acked_seq, acked_hash, hub_seq, last_ok_at, last_error_code, ...).
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The hub's verdicts on this node's events that it did not apply.
CREATE TABLE sync_verdict (
  seq     INTEGER PRIMARY KEY,   -- the node's own event
  verdict TEXT NOT NULL,         -- rejected | deferred
  code    TEXT NOT NULL,
  message TEXT NOT NULL,
  at      INTEGER NOT NULL       -- when the node learnt it
);

-- Nodes that enrolled with this hub. A key is one chain of one agency.
CREATE TABLE hub_node (
  agency       TEXT NOT NULL,
  chain        INTEGER NOT NULL,
  key          TEXT NOT NULL UNIQUE,    -- Ed25519 public key, 64 hex
  name         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')),
  enrolled_at  INTEGER NOT NULL,
  decided_by   TEXT NOT NULL DEFAULT '',
  decided_at   INTEGER,
  acked_seq    INTEGER NOT NULL DEFAULT 0,
  acked_hash   TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  last_batch   TEXT NOT NULL DEFAULT '',  -- SHA-256 of the last batch applied
  last_push_at INTEGER,
  clock_skew_s INTEGER NOT NULL DEFAULT 0,
  rejected     INTEGER NOT NULL DEFAULT 0, -- events with a verdict other than applied
  PRIMARY KEY (agency, chain)
) WITHOUT ROWID;

-- Every node's events as it recorded them: the same seq, bytes and hashes.
CREATE TABLE hub_event (
  agency      TEXT NOT NULL,
  chain       INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  dossier     TEXT,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  batch       TEXT NOT NULL,             -- SHA-256 of the batch that brought it
  received_at INTEGER NOT NULL,
  verdict     TEXT NOT NULL,             -- applied | stored | rejected | deferred
  verdict_code TEXT NOT NULL DEFAULT '',
  verdict_msg TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (agency, chain, seq)
) WITHOUT ROWID;
CREATE INDEX hub_event_dossier ON hub_event(dossier) WHERE dossier IS NOT NULL;
CREATE INDEX hub_event_verdict ON hub_event(agency, verdict) WHERE verdict IN ('rejected', 'deferred');
-- A node's events are what it signed: never changed or removed here (only
-- the verdict may be decided again).
CREATE TRIGGER hub_event_no_delete BEFORE DELETE ON hub_event
BEGIN SELECT RAISE(ABORT, 'hub_event rows are never deleted'); END;
CREATE TRIGGER hub_event_no_update BEFORE UPDATE OF agency, chain, seq, at, actor, kind,
  dossier, payload, prev_hash, hash ON hub_event
BEGIN SELECT RAISE(ABORT, 'hub_event rows are never changed'); END;

-- The province's copy of every commune's dossiers: the record as the owning
-- node's last event on it left it.
CREATE TABLE hub_dossier (
  agency      TEXT NOT NULL,             -- owner
  code        TEXT NOT NULL,
  procedure   TEXT NOT NULL,
  state       TEXT NOT NULL,
  open        INTEGER NOT NULL,          -- 1 while the dossier is being handled
  name        TEXT NOT NULL,
  fold        TEXT NOT NULL,             -- folded name, code, procedure: search
  received_at TEXT NOT NULL,
  due_at      TEXT,
  finished_at TEXT,
  last_seq    INTEGER NOT NULL,
  body        TEXT NOT NULL,             -- the dossier JSON of the last event
  PRIMARY KEY (agency, code)
) WITHOUT ROWID;
CREATE UNIQUE INDEX hub_dossier_code ON hub_dossier(code);
CREATE INDEX hub_dossier_open ON hub_dossier(agency, open, due_at);
