-- Schema version 2: sign-in sessions, API tokens and citizens' ratings.
-- Tokens are random 256-bit values; only their SHA-256 is stored.

CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,         -- hex SHA-256 of the cookie value
  login      TEXT NOT NULL REFERENCES user(login),
  created_at INTEGER NOT NULL,
  seen_at    INTEGER NOT NULL,         -- idle expiry counts from here
  address    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX session_login ON session(login);

CREATE TABLE api_token (
  token_hash TEXT PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,     -- short public id, for revoking
  login      TEXT NOT NULL REFERENCES user(login),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- One rating per dossier, after its result is ready (Decision 766, group 5).
CREATE TABLE rating (
  dossier    TEXT PRIMARY KEY REFERENCES dossier(code),
  agency     TEXT NOT NULL,
  level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  comment    TEXT NOT NULL DEFAULT '',
  channel    TEXT NOT NULL DEFAULT 'portal',
  at         INTEGER NOT NULL
) WITHOUT ROWID;
