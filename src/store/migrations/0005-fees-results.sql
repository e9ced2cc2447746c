-- Schema version 5 (issue 10, items 4 5 and "the fee, the result"): the
-- notices a dossier was given (who issued each), the fees and charges
-- collected, the result's number and who collected it. Each row is written
-- with the dossier event that carries the same data (the event is the
-- record; these rows make it quick to read and to total).

-- Forms 2 (supplement), 3 (refusal), 4 (apology) and 5 (stop) of Circular
-- 03/2025/TT-VPCP: one row per notice, signed by the officer who took the
-- step.
CREATE TABLE notice (
  dossier      TEXT NOT NULL REFERENCES dossier(code),
  seq          INTEGER NOT NULL,       -- the event that made it
  agency       TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('request_supplement','refuse','apology','stop')),
  issued_at    INTEGER NOT NULL,
  issuer       TEXT NOT NULL,          -- login
  issuer_name  TEXT NOT NULL,
  issuer_title TEXT NOT NULL,
  reason       TEXT NOT NULL,
  data         TEXT NOT NULL DEFAULT '{}',  -- JSON: items; the apology's dates and flags
  PRIMARY KEY (dossier, seq)
) WITHOUT ROWID;

-- Fees and charges (phí, lệ phí) collected on a dossier, or waived.
CREATE TABLE fee (
  dossier          TEXT NOT NULL REFERENCES dossier(code),
  seq              INTEGER NOT NULL,   -- the event that recorded it
  agency           TEXT NOT NULL,
  at               INTEGER NOT NULL,
  amount           INTEGER NOT NULL CHECK (amount >= 0),  -- đồng
  method           TEXT NOT NULL CHECK (method IN ('','cash','transfer','online')),
  receipt_no       TEXT NOT NULL DEFAULT '',
  collector        TEXT NOT NULL,      -- login of the officer who collected it
  collector_name   TEXT NOT NULL,
  exemption        TEXT NOT NULL DEFAULT '' CHECK (exemption IN ('','full','partial')),
  exemption_reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (dossier, seq)
) WITHOUT ROWID;
CREATE INDEX fee_agency_at ON fee(agency, at);

-- The result (its number and date) and its hand-over.
CREATE TABLE dossier_result (
  dossier        TEXT PRIMARY KEY REFERENCES dossier(code),
  agency         TEXT NOT NULL,
  number         TEXT NOT NULL DEFAULT '',
  date           TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD
  recorded_by    TEXT NOT NULL DEFAULT '',
  recorded_at    INTEGER NOT NULL DEFAULT 0,
  collector_name TEXT NOT NULL DEFAULT '',
  collector_id   TEXT NOT NULL DEFAULT '',
  authorised     INTEGER NOT NULL DEFAULT 0,  -- 1: collected by authorisation
  delivery       TEXT NOT NULL DEFAULT '' CHECK (delivery IN ('','desk','postal','online')),
  returned_by    TEXT NOT NULL DEFAULT '',
  returned_at    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
