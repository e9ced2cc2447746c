-- Schema version 13 (issue 12, "files travel with sync"; docs/sync.md §12):
-- a node offers the hub the files it stores, by hash, once each; the hub
-- keeps the dossiers' file rows its events record, the bytes it holds
-- (content-addressed under files/, as on a node) and the transfers under
-- way, which resume at the offset it holds.

-- Node: every file a dossier holds and whether the hub confirmed holding
-- it. Filled by a trigger in the transaction that attaches the file (so
-- no file is ever missed), and below from the files held before this
-- version.
CREATE TABLE sync_file (
  sha256       TEXT PRIMARY KEY,
  size         INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'waiting'
               CHECK (state IN ('waiting', 'confirmed', 'refused')),
  code         TEXT NOT NULL DEFAULT '',   -- refused: the hub's error code
  message      TEXT NOT NULL DEFAULT '',
  sent         INTEGER NOT NULL DEFAULT 0, -- bytes of it sent in chunks (figures)
  confirmed_at INTEGER                     -- or refused at
) WITHOUT ROWID;
CREATE INDEX sync_file_waiting ON sync_file(state);
-- Only the files a dossier holds (a scan, a result) travel: what the OCR
-- job makes of them (thumbnails, searchable PDFs; file_derived) is made
-- again wherever it is wanted, and no event names it.
CREATE TRIGGER file_offer AFTER INSERT ON dossier_file BEGIN
  INSERT OR IGNORE INTO sync_file(sha256, size)
  SELECT sha256, size FROM file WHERE sha256 = new.sha256;
END;
INSERT OR IGNORE INTO sync_file(sha256, size)
SELECT DISTINCT f.sha256, f.size FROM dossier_file d JOIN file f USING (sha256);

-- Hub: a dossier's file as a node's dossier.file event recorded it (the
-- event's payload is self-contained). agency: the node that recorded it.
CREATE TABLE hub_file (
  agency         TEXT NOT NULL,
  dossier        TEXT NOT NULL,
  component      INTEGER NOT NULL,
  sha256         TEXT NOT NULL,
  component_name TEXT NOT NULL DEFAULT '',
  kind           TEXT NOT NULL,
  source         TEXT NOT NULL,
  filename       TEXT NOT NULL DEFAULT '',
  size           INTEGER NOT NULL,
  mime           TEXT NOT NULL,
  pages          INTEGER NOT NULL,
  chain          INTEGER NOT NULL,
  seq            INTEGER NOT NULL,          -- the event
  PRIMARY KEY (agency, dossier, component, sha256)
) WITHOUT ROWID;
CREATE INDEX hub_file_sha ON hub_file(sha256);
CREATE INDEX hub_file_dossier ON hub_file(dossier);

-- Hub: bytes held (blob files/ab/cdef...), one row per agency that sent
-- them or whose offer found them held already (sent = 0): stored once.
CREATE TABLE hub_blob (
  agency    TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  size      INTEGER NOT NULL,
  sent      INTEGER NOT NULL,              -- 1: this agency's chunks made it
  stored_at INTEGER NOT NULL,
  PRIMARY KEY (agency, sha256)
) WITHOUT ROWID;
CREATE INDEX hub_blob_sha ON hub_blob(sha256);

-- Hub: a transfer under way; its bytes so far are files/tmp/<part>.part,
-- durable up to received (blob.c's offset rule).
CREATE TABLE hub_file_in (
  agency     TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  part       TEXT NOT NULL UNIQUE,         -- 32 hex, from agency and hash
  size       INTEGER NOT NULL,
  received   INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (agency, sha256)
) WITHOUT ROWID;
