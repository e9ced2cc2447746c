-- Schema version 3: idempotency keys for writes over unstable links.
-- A client that may have to retry a write (the answer lost after the
-- commit) sends an Idempotency-Key; the first write records it in its own
-- transaction, so a retry finds it and is answered with what the first one
-- did instead of making a second dossier or a second step.
CREATE TABLE request_key (
  login      TEXT NOT NULL,            -- keys are per officer
  key        TEXT NOT NULL,
  request    TEXT NOT NULL,            -- "receive" or "act <code> <action>"
  dossier    TEXT NOT NULL,            -- the dossier made or changed
  created_at INTEGER NOT NULL,
  PRIMARY KEY (login, key)
) WITHOUT ROWID;
CREATE INDEX request_key_created ON request_key(created_at);
