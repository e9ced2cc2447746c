-- Schema version 10 (issue 12, digitization): the scans of a dossier's
-- components and its electronic result. The bytes live outside the
-- database, in a content-addressed store under the data directory
-- (files/ab/cdef..., named by their SHA-256; src/store/blob.c); these
-- tables say what is stored, which dossier holds which file, and which
-- uploads are under way. A dossier.file event carries the same data.

-- One row per stored file (deduplicated: the same bytes once).
CREATE TABLE file (
  sha256     TEXT PRIMARY KEY,       -- lower-case hex; the blob's name
  size       INTEGER NOT NULL CHECK (size > 0),
  mime       TEXT NOT NULL,          -- as libmagic reads the bytes
  pages      INTEGER NOT NULL CHECK (pages >= 1),
  width      INTEGER NOT NULL DEFAULT 0,  -- images: first page, pixels
  height     INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- A file attached to a dossier: the scan of one of its components, or its
-- electronic result (component -1).
CREATE TABLE dossier_file (
  dossier        TEXT NOT NULL REFERENCES dossier(code),
  agency         TEXT NOT NULL,
  component      INTEGER NOT NULL CHECK (component >= -1),  -- index in dossier.components
  component_name TEXT NOT NULL DEFAULT '',
  sha256         TEXT NOT NULL REFERENCES file(sha256),
  kind           TEXT NOT NULL CHECK (kind IN ('scan','result')),
  source         TEXT NOT NULL CHECK (source IN ('digitized','reused','data_store')),
  filename       TEXT NOT NULL DEFAULT '',
  added_by       TEXT NOT NULL,      -- login
  added_at       INTEGER NOT NULL,
  seq            INTEGER NOT NULL,   -- the dossier.file event
  PRIMARY KEY (dossier, component, sha256)
) WITHOUT ROWID;
CREATE INDEX dossier_file_sha ON dossier_file(sha256);

-- An upload under way (resumable: the bytes so far are in
-- files/tmp/<id>.part). Refused content deletes it; a stored one keeps the
-- row (stored = its hash) so that a client whose last answer was lost
-- learns the outcome. Rows untouched for a week are swept.
CREATE TABLE upload (
  id         TEXT PRIMARY KEY,       -- 32 random hex
  agency     TEXT NOT NULL,
  dossier    TEXT NOT NULL REFERENCES dossier(code),
  component  INTEGER NOT NULL CHECK (component >= -1),
  kind       TEXT NOT NULL CHECK (kind IN ('scan','result')),
  source     TEXT NOT NULL CHECK (source IN ('digitized','data_store')),
  filename   TEXT NOT NULL DEFAULT '',
  size       INTEGER NOT NULL CHECK (size > 0),  -- declared
  sha256     TEXT NOT NULL DEFAULT '',           -- declared, or ''
  received   INTEGER NOT NULL DEFAULT 0,         -- bytes durable in the part file
  hash       TEXT NOT NULL DEFAULT '',           -- all bytes in and checked: their sha256
  stored     TEXT NOT NULL DEFAULT '',           -- once complete: the file's sha256
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX upload_updated ON upload(updated_at);

-- Reception offers an applicant's papers digitized before (same ID number).
CREATE INDEX dossier_id_number ON dossier(id_number) WHERE id_number <> '';
