-- Schema version 12 (issue 12, digitization): a persistent queue of
-- background jobs, and the text read from stored files. Version 11 is
-- another branch's (search); this file is renumbered when both land.
--
-- A job is claimed with a lease: a worker that dies (kill -9, power cut)
-- leaves its job 'running' with a lease that runs out, and the job is
-- queued again (at start-up at once). The result of a job and its 'done'
-- are written in one transaction, so a job is never done twice nor done
-- with half a result; a job run again after a crash overwrites the rows a
-- run that never committed could not have left anyway.

CREATE TABLE job (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('ocr')),
  ref         TEXT NOT NULL,          -- ocr: the file's sha256
  agency      TEXT NOT NULL,          -- whose officers see it
  state       TEXT NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued','running','done','failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,   -- claims so far
  pages_done  INTEGER NOT NULL DEFAULT 0,
  pages_total INTEGER NOT NULL DEFAULT 0,
  error       TEXT NOT NULL DEFAULT '',     -- the last failure's message
  lease_until INTEGER NOT NULL DEFAULT 0,   -- running: requeued after this
  created_at  INTEGER NOT NULL,
  started_at  INTEGER NOT NULL DEFAULT 0,   -- the last claim
  finished_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, ref)                        -- a file is read once
);
CREATE INDEX job_state ON job(state, id);

-- The text of each page of a stored file, as OCR read it (or a PDF's own
-- text layer: confidence 100).
CREATE TABLE file_text (
  sha256     TEXT NOT NULL REFERENCES file(sha256),
  page       INTEGER NOT NULL CHECK (page >= 1),
  text       TEXT NOT NULL,
  confidence REAL NOT NULL,               -- mean word confidence, 0..100
  PRIMARY KEY (sha256, page)
) WITHOUT ROWID;

-- What the OCR job makes of a scan besides its text (issue 12): a small
-- PNG of page 1 for the UI's file list, and for an image scan a searchable
-- PDF (the cleaned page over its words). Each is a stored file of its own
-- (a row in file, bytes in DIR/files), written in the job's 'done'
-- transaction.
CREATE TABLE file_derived (
  sha256  TEXT NOT NULL REFERENCES file(sha256),
  kind    TEXT NOT NULL CHECK (kind IN ('thumbnail','searchable_pdf')),
  derived TEXT NOT NULL REFERENCES file(sha256),
  PRIMARY KEY (sha256, kind)
) WITHOUT ROWID;
