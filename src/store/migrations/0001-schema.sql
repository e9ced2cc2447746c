-- motcua node database, schema version 1.
-- The event log is canonical; the other tables are state that can be rebuilt
-- from it (DESIGN §7). Tables holding a commune's records carry the agency
-- code so a hub can keep every commune in one database, partitioned by agency.

-- Node settings: agency code and name, office hours, same-day cut-off, keys.
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Agencies this node knows: itself, its province, its neighbours.
CREATE TABLE agency (
  code    TEXT PRIMARY KEY,          -- electronic identifier, e.g. 000.00.25.H45
  name    TEXT NOT NULL,
  kind    TEXT NOT NULL DEFAULT 'commune',  -- commune | province
  parent  TEXT,
  is_self INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Staff accounts. pw_hash is an argon2id string from libsodium.
CREATE TABLE user (
  login      TEXT PRIMARY KEY,
  agency     TEXT NOT NULL,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('reception','specialist','leader','admin','supervisor')),
  pw_hash    TEXT NOT NULL,
  disabled   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Procedure catalog, in the clean format (docs/catalog-format.md).
CREATE TABLE procedure (
  code      TEXT PRIMARY KEY,        -- e.g. 1.001193
  name      TEXT NOT NULL,
  field     TEXT NOT NULL DEFAULT '',
  level     TEXT NOT NULL DEFAULT '',
  fold      TEXT NOT NULL,           -- diacritic-free name, field and code for search
  complete  INTEGER NOT NULL,        -- 1 if every part parsed
  version   TEXT NOT NULL,
  source    TEXT NOT NULL,
  -- processing time per channel, taken from body at import (NULL: none)
  t_direct  REAL, u_direct TEXT,
  t_online  REAL, u_online TEXT,
  t_postal  REAL, u_postal TEXT,
  t_guessed INTEGER NOT NULL DEFAULT 0,  -- bit per channel: unit not in the text
  body      TEXT NOT NULL            -- the clean JSON object
) WITHOUT ROWID;
CREATE INDEX procedure_field ON procedure(field);

-- Days-off schedules, one row per listed day (weekends are implicit).
CREATE TABLE holiday (
  day      TEXT PRIMARY KEY,         -- YYYY-MM-DD
  year     INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  occasion TEXT,
  source   TEXT,
  version  TEXT NOT NULL
) WITHOUT ROWID;
-- Years that have a government schedule (a year with no rows may still have one).
CREATE TABLE holiday_year (
  year    INTEGER PRIMARY KEY,
  version TEXT NOT NULL,
  source  TEXT NOT NULL
);

-- Serial counters for dossier codes, per agency and reception day.
CREATE TABLE serial (
  agency TEXT NOT NULL,
  day    TEXT NOT NULL,              -- YYMMDD
  last   INTEGER NOT NULL,
  PRIMARY KEY (agency, day)
) WITHOUT ROWID;

-- Dossiers. Times are UTC seconds; 0 means "not set".
CREATE TABLE dossier (
  code          TEXT PRIMARY KEY,    -- <agency>-YYMMDD-NNNN
  agency        TEXT NOT NULL,       -- owner: only the owner writes the row
  origin        TEXT NOT NULL,       -- agency that received it
  procedure     TEXT NOT NULL,
  channel       TEXT NOT NULL CHECK (channel IN ('direct','online','postal')),
  status        TEXT NOT NULL,
  status_code   INTEGER NOT NULL,
  name          TEXT NOT NULL,
  id_number     TEXT NOT NULL,
  phone         TEXT NOT NULL,
  email         TEXT NOT NULL DEFAULT '',
  address       TEXT NOT NULL DEFAULT '',
  summary       TEXT NOT NULL DEFAULT '',
  components    TEXT NOT NULL DEFAULT '[]',
  time_amount   REAL NOT NULL,
  time_unit     TEXT NOT NULL,
  time_guessed  INTEGER NOT NULL DEFAULT 0,  -- 1: the catalog gave no unit
  submitted_at  INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  due_at        INTEGER NOT NULL,    -- the appointment (an apology moves it)
  due_legal     INTEGER NOT NULL,    -- original due plus supplement pauses
  assignee      TEXT NOT NULL DEFAULT '',
  resume_status TEXT NOT NULL DEFAULT '',
  paused_at     INTEGER NOT NULL DEFAULT 0,
  supplements   INTEGER NOT NULL DEFAULT 0,
  supplements_processing INTEGER NOT NULL DEFAULT 0,
  apology_at    INTEGER NOT NULL DEFAULT 0,
  finished_at   INTEGER NOT NULL DEFAULT 0,
  timeliness    TEXT NOT NULL DEFAULT '',
  returned_at   INTEGER NOT NULL DEFAULT 0,
  collected_by  TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',   -- last reason (refusal, stop, supplement)
  fold          TEXT NOT NULL,       -- folded name, code, id number, summary
  updated_at    INTEGER NOT NULL,
  last_seq      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX dossier_status_due ON dossier(status, due_at);
CREATE INDEX dossier_submitted ON dossier(submitted_at, code);
-- Partial: a reception (no assignee yet) does not write this index.
CREATE INDEX dossier_assignee ON dossier(assignee, status) WHERE assignee <> '';

-- The hash-chained event log (docs/events.md). Nothing updates or deletes it.
CREATE TABLE event (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,           -- ISO 8601, +07:00
  actor     TEXT NOT NULL,
  kind      TEXT NOT NULL,
  dossier   TEXT,
  payload   TEXT NOT NULL,           -- canonical JSON
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX event_dossier ON event(dossier, seq);
CREATE TRIGGER event_no_update BEFORE UPDATE ON event
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
