-- Schema version 19 (issue 14): recommendations (kiến nghị) that the
-- communes send to the province, routed by the hub to a department,
-- answered there, the answer flowing back down (docs/recommendations.md).
-- Versions 17 and 18 are other branches' (documents, tasks); the runner
-- skips a gap.
--
-- The same tables on a commune's node (its own recommendations) and on the
-- hub (every commune's, agency = the commune that filed it, the owner).
-- Every row can be rebuilt from the events: the commune's
-- recommendation.filed/withdrawn/closed/reopened and the province's
-- recommendation.routed/answered carry what they changed.

CREATE TABLE recommendation (
  agency      TEXT NOT NULL,                -- the commune that filed it
  id          TEXT NOT NULL,                -- <agency>/KN-YYYY-NNNN
  state       TEXT NOT NULL CHECK (state IN ('filed','routed','answered','closed','withdrawn')),
  round       INTEGER NOT NULL DEFAULT 1,   -- 1, and one more at each reopen
  concerns    TEXT NOT NULL,                -- the department the commune named (unit code)
  department  TEXT NOT NULL DEFAULT '',     -- the department routed to ('' before routing)
  field       TEXT NOT NULL DEFAULT '',     -- lĩnh vực, as typed or from the catalog
  filed_at    INTEGER NOT NULL,
  routed_at   INTEGER NOT NULL DEFAULT 0,   -- the current round's start (first routing, or the reopen)
  due_at      INTEGER NOT NULL DEFAULT 0,   -- the current round's answer due (the hub's calendar)
  answered_at INTEGER NOT NULL DEFAULT 0,   -- the current round's answer; 0 while waiting
  ended_at    INTEGER NOT NULL DEFAULT 0,   -- closed or withdrawn
  fold        TEXT NOT NULL DEFAULT '',     -- id, topic, content and field, diacritics folded
  body        TEXT NOT NULL,                -- the record as the API answers it (JSON)
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (agency, id)
) WITHOUT ROWID;
-- The id carries its commune's code, so it is unique across the province.
CREATE UNIQUE INDEX recommendation_id ON recommendation(id);
-- The board: open ones by state and department; a commune's list by date.
CREATE INDEX recommendation_state ON recommendation(state, department, agency);
CREATE INDEX recommendation_filed ON recommendation(agency, filed_at);

-- Each step of a recommendation as its side recorded it: the timeline.
-- origin names the event that made it ("node:<agency>:<chain>:<seq>" for a
-- commune's event the hub applied, "hub:<cursor>" for an item a node
-- applied, "self:<seq>" for this node's own), so a step applied twice is
-- kept once.
CREATE TABLE recommendation_step (
  agency  TEXT NOT NULL,
  id      TEXT NOT NULL,
  n       INTEGER NOT NULL,                 -- 1, 2, 3 ... in the order applied here
  origin  TEXT NOT NULL,
  action  TEXT NOT NULL,                    -- file, route, reroute, answer, close, reopen, withdraw
  side    TEXT NOT NULL CHECK (side IN ('commune','province')),
  round   INTEGER NOT NULL,
  at      INTEGER NOT NULL,                 -- when the step was taken, on its side's clock
  actor   TEXT NOT NULL,
  seq     INTEGER NOT NULL DEFAULT 0,       -- the event in this node's log (0: none)
  body    TEXT NOT NULL,                    -- what the step recorded (JSON)
  PRIMARY KEY (agency, id, n),
  UNIQUE (agency, id, origin)
) WITHOUT ROWID;

-- Numbers per commune and year: <agency>/KN-2026-0001, 0002, ...
CREATE TABLE recommendation_serial (
  agency TEXT NOT NULL,
  year   INTEGER NOT NULL,
  last   INTEGER NOT NULL,
  PRIMARY KEY (agency, year)
) WITHOUT ROWID;

-- The hub's outbox gains a stream, recommendations (docs/sync.md §7.2).
-- Its CHECK named issue 11's streams; streams now come with modules (the
-- app names its own), so the table is rebuilt without that CHECK, its rows,
-- cursors (AUTOINCREMENT carries on from the highest), index and
-- append-only triggers kept.
CREATE TABLE hub_outbox_new (
  cursor  INTEGER PRIMARY KEY AUTOINCREMENT,
  agency  TEXT NOT NULL,              -- a commune's agency code, or '*'
  stream  TEXT NOT NULL CHECK (length(stream) BETWEEN 1 AND 32),
  kind    TEXT NOT NULL,              -- what the node applies it as (an event kind)
  hash    TEXT NOT NULL,              -- SHA-256 (hex) of body
  body    TEXT NOT NULL,              -- JSON, keys sorted, compact
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL               -- who published it
);
INSERT INTO hub_outbox_new(cursor, agency, stream, kind, hash, body, at, actor)
  SELECT cursor, agency, stream, kind, hash, body, at, actor FROM hub_outbox ORDER BY cursor;
DROP TABLE hub_outbox;
ALTER TABLE hub_outbox_new RENAME TO hub_outbox;
CREATE INDEX hub_outbox_agency ON hub_outbox(agency, cursor);
CREATE TRIGGER hub_outbox_no_update BEFORE UPDATE ON hub_outbox
BEGIN SELECT RAISE(ABORT, 'hub_outbox is append-only'); END;
CREATE TRIGGER hub_outbox_no_delete BEFORE DELETE ON hub_outbox
BEGIN SELECT RAISE(ABORT, 'hub_outbox is append-only'); END;
