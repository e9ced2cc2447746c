-- Schema version 6: the commune's own procedure list (danh mục TTHC của xã),
-- laid over the national catalog. One row per procedure the node has said
-- something about; each change is a "procedure.local" event whose payload is
-- the row's canonical JSON (body), so a hub can publish and apply it as is.
-- Numbers 4 and 5 belong to other work; the runner skips a gap.
CREATE TABLE procedure_local (
  agency     TEXT NOT NULL,          -- the node (or, on a hub, the commune) it is for
  code       TEXT NOT NULL,          -- procedure code in the national catalog
  version    INTEGER NOT NULL,       -- 1, 2, ... per (agency, code)
  enabled    INTEGER,                -- 1 received here, 0 not, NULL not decided
  -- processing time per channel set here (NULL: the national entry's)
  t_direct   REAL, u_direct TEXT,
  t_online   REAL, u_online TEXT,
  t_postal   REAL, u_postal TEXT,
  fee        INTEGER,                -- đồng; NULL: not set here
  handling_unit TEXT NOT NULL DEFAULT '',
  source     TEXT NOT NULL,          -- decision number and date, or the legal text
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  body       TEXT NOT NULL,          -- canonical JSON: the event's payload
  PRIMARY KEY (agency, code)
) WITHOUT ROWID;
CREATE INDEX procedure_local_enabled ON procedure_local(agency, enabled);
-- Reception lists the procedures received most often first.
CREATE INDEX dossier_procedure ON dossier(procedure);
