-- Schema version 14 (issue 13, supervision): what the reports read.
--
-- A report of a past period judges a pending dossier against its due time
-- as it stood then. due_legal moves on each time a supplement wait ends, so
-- the waits are kept: one row per wait, with what it added to due_legal.
-- Triggers write the rows from the dossier's own changes (on a node from
-- its dossier rows, on a hub from the copies it keeps), so no use case
-- has to remember to.
CREATE TABLE dossier_pause (
  dossier    TEXT NOT NULL,
  paused_at  INTEGER NOT NULL,           -- the wait began (UTC seconds)
  resumed_at INTEGER NOT NULL DEFAULT 0, -- it ended; 0 while it lasts
  added      INTEGER NOT NULL DEFAULT 0, -- seconds it added to due_legal
  PRIMARY KEY (dossier, paused_at)
) WITHOUT ROWID;

-- (No "OR IGNORE" in the triggers: the statement that fires a trigger
-- imposes its own conflict policy on it, so a wait already recorded is
-- skipped by the WHERE instead.)
CREATE TRIGGER dossier_pause_begin AFTER UPDATE OF paused_at ON dossier
WHEN OLD.paused_at = 0 AND NEW.paused_at > 0
BEGIN
  INSERT INTO dossier_pause(dossier, paused_at) SELECT NEW.code, NEW.paused_at
   WHERE NOT EXISTS (SELECT 1 FROM dossier_pause
                      WHERE dossier = NEW.code AND paused_at = NEW.paused_at);
END;
CREATE TRIGGER dossier_pause_end AFTER UPDATE OF paused_at ON dossier
WHEN OLD.paused_at > 0 AND NEW.paused_at = 0
BEGIN
  UPDATE dossier_pause SET resumed_at = NEW.updated_at, added = NEW.due_legal - OLD.due_legal
   WHERE dossier = NEW.code AND paused_at = OLD.paused_at;
END;

-- The waits of the dossiers a node already holds, from its event log
-- (each dossier event carries the record after the step).
INSERT OR IGNORE INTO dossier_pause(dossier, paused_at)
SELECT e.dossier, unixepoch(json_extract(e.payload, '$.dossier.paused_at'))
  FROM event e
 WHERE e.kind = 'dossier.request_supplement' AND e.dossier IS NOT NULL
   AND json_extract(e.payload, '$.dossier.paused_at') IS NOT NULL;
UPDATE dossier_pause SET
  resumed_at = (SELECT unixepoch(e.at) FROM event e
                 WHERE e.dossier = dossier_pause.dossier AND e.kind = 'dossier.supplement_received'
                   AND unixepoch(e.at) >= dossier_pause.paused_at ORDER BY e.seq LIMIT 1),
  added = coalesce((SELECT unixepoch(json_extract(e.payload, '$.dossier.due_legal'))
                      FROM event e
                     WHERE e.dossier = dossier_pause.dossier
                       AND e.kind = 'dossier.supplement_received'
                       AND unixepoch(e.at) >= dossier_pause.paused_at ORDER BY e.seq LIMIT 1)
                   - (SELECT unixepoch(json_extract(e.payload, '$.dossier.due_legal'))
                        FROM event e
                       WHERE e.dossier = dossier_pause.dossier
                         AND e.kind = 'dossier.request_supplement'
                         AND unixepoch(json_extract(e.payload, '$.dossier.paused_at'))
                             = dossier_pause.paused_at ORDER BY e.seq LIMIT 1), 0)
 WHERE EXISTS (SELECT 1 FROM event e WHERE e.dossier = dossier_pause.dossier
                 AND e.kind = 'dossier.supplement_received'
                 AND unixepoch(e.at) >= dossier_pause.paused_at);
UPDATE dossier_pause SET resumed_at = 0 WHERE resumed_at IS NULL;

-- A report reads one index, not the table: the dossiers received before
-- the period's end, with every column the II.06a cells need (supplements:
-- only a dossier that ever waited has waits to look up).
CREATE INDEX dossier_report ON dossier(agency, received_at, finished_at, channel, due_legal,
  timeliness, procedure, assignee, supplements, status, last_seq);
-- The 766 facts held beside the dossier, read per agency.
CREATE INDEX dossier_file_agency ON dossier_file(agency, dossier);

-- The hub's copies keep the columns a report reads beside the record's
-- JSON, written by the store with the copy (views and triggers run with
-- trusted_schema off, so they may not read the JSON themselves).
ALTER TABLE hub_dossier ADD COLUMN event_at INTEGER NOT NULL DEFAULT 0;  -- the event applied
ALTER TABLE hub_dossier ADD COLUMN r_channel TEXT NOT NULL DEFAULT 'direct';
ALTER TABLE hub_dossier ADD COLUMN r_assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_dossier ADD COLUMN r_received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_dossier ADD COLUMN r_finished INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_dossier ADD COLUMN r_due_legal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_dossier ADD COLUMN r_timeliness TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_dossier ADD COLUMN r_paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_dossier ADD COLUMN r_components INTEGER NOT NULL DEFAULT 0;
UPDATE hub_dossier SET
  r_channel = coalesce(json_extract(body, '$.channel'), 'direct'),
  r_assignee = coalesce(json_extract(body, '$.assignee'), ''),
  r_received = coalesce(unixepoch(json_extract(body, '$.received_at')), 0),
  r_finished = coalesce(unixepoch(json_extract(body, '$.finished_at')), 0),
  r_due_legal = coalesce(unixepoch(json_extract(body, '$.due_legal')), 0),
  r_timeliness = coalesce(json_extract(body, '$.timeliness'), ''),
  r_paused = coalesce(unixepoch(json_extract(body, '$.paused_at')), 0),
  r_components = coalesce(json_array_length(json_extract(body, '$.components')), 0);
INSERT OR IGNORE INTO dossier_pause(dossier, paused_at)
SELECT code, r_paused FROM hub_dossier WHERE r_paused > 0;

-- The hub's copies in the node's column names: one report code serves both.
CREATE VIEW hub_report AS
SELECT agency, code, procedure, r_channel AS channel, r_assignee AS assignee, state AS status,
       r_received AS received_at, r_finished AS finished_at, r_due_legal AS due_legal,
       r_timeliness AS timeliness, r_paused AS paused_at, r_components AS n_components, last_seq,
       1 AS supplements
  FROM hub_dossier;

CREATE TRIGGER hub_pause_begin AFTER UPDATE OF r_paused ON hub_dossier
WHEN OLD.r_paused = 0 AND NEW.r_paused > 0
BEGIN
  INSERT INTO dossier_pause(dossier, paused_at) SELECT NEW.code, NEW.r_paused
   WHERE NOT EXISTS (SELECT 1 FROM dossier_pause
                      WHERE dossier = NEW.code AND paused_at = NEW.r_paused);
END;
CREATE TRIGGER hub_pause_end AFTER UPDATE OF r_paused ON hub_dossier
WHEN OLD.r_paused > 0 AND NEW.r_paused = 0
BEGIN
  UPDATE dossier_pause SET resumed_at = NEW.event_at, added = NEW.r_due_legal - OLD.r_due_legal
   WHERE dossier = NEW.code AND paused_at = OLD.r_paused;
END;
-- A copy made while its dossier waits (a transfer, a first event) starts its wait here.
CREATE TRIGGER hub_pause_new AFTER INSERT ON hub_dossier WHEN NEW.r_paused > 0
BEGIN
  INSERT INTO dossier_pause(dossier, paused_at) SELECT NEW.code, NEW.r_paused
   WHERE NOT EXISTS (SELECT 1 FROM dossier_pause
                      WHERE dossier = NEW.code AND paused_at = NEW.r_paused);
END;
