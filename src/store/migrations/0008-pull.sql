-- Schema version 8: what the province sends down to the communes
-- (docs/sync.md §7.2). The hub's outbox, and on a node the items applied.

-- One item a published thing (a calendar schedule, ...) addressed to one
-- commune or to all ('*'). cursor is one hub-wide increasing number: a node
-- asks for the items after the last cursor it applied.
CREATE TABLE hub_outbox (
  cursor  INTEGER PRIMARY KEY AUTOINCREMENT,
  agency  TEXT NOT NULL,              -- a commune's agency code, or '*'
  stream  TEXT NOT NULL CHECK (stream IN ('calendar', 'catalog', 'agencies', 'transfers', 'submissions')),
  kind    TEXT NOT NULL,              -- what the node applies it as (an event kind)
  hash    TEXT NOT NULL,              -- SHA-256 (hex) of body
  body    TEXT NOT NULL,              -- JSON, keys sorted, compact
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL               -- who published it
);
CREATE INDEX hub_outbox_agency ON hub_outbox(agency, cursor);
CREATE TRIGGER hub_outbox_no_update BEFORE UPDATE ON hub_outbox
BEGIN SELECT RAISE(ABORT, 'hub_outbox is append-only'); END;
CREATE TRIGGER hub_outbox_no_delete BEFORE DELETE ON hub_outbox
BEGIN SELECT RAISE(ABORT, 'hub_outbox is append-only'); END;

-- On a node: every item from the hub it applied, by hash (an item seen
-- twice is applied once), with the event that applied it.
CREATE TABLE sync_item (
  hash       TEXT PRIMARY KEY,
  cursor     INTEGER NOT NULL,
  stream     TEXT NOT NULL,
  kind       TEXT NOT NULL,
  seq        INTEGER NOT NULL,        -- the node's event (0: nothing to apply)
  applied_at INTEGER NOT NULL
) WITHOUT ROWID;
