-- Schema version 15 (issue 13, live alerts): officers' notifications and
-- their e-mail address. Version 14 is another branch's (reports); the
-- runner skips a gap.
--
-- A notification is made once: the sweep (app/notify.c) inserts with
-- INSERT OR IGNORE on (login, kind, dossier, occasion), so running it
-- again, from two processes or after a crash, adds nothing.
--   near_due, overdue: occasion is the dossier's due time when it crossed
--     (an apology that sets a new due time may warn again);
--   digest: dossier is '' and occasion the local day (days since
--     1970-01-01, UTC+7): one a day.
ALTER TABLE user ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE notification (
  id          INTEGER PRIMARY KEY,
  agency      TEXT NOT NULL,
  login       TEXT NOT NULL,                -- whose it is: only they read it
  kind        TEXT NOT NULL CHECK (kind IN ('near_due','overdue','digest')),
  dossier     TEXT NOT NULL DEFAULT '',     -- '' for a digest
  occasion    INTEGER NOT NULL DEFAULT 0,   -- see above
  created_at  INTEGER NOT NULL,
  read_at     INTEGER NOT NULL DEFAULT 0,   -- 0: unread
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  emailed_at  INTEGER NOT NULL DEFAULT 0,   -- digest: when the e-mail went
  email_error TEXT NOT NULL DEFAULT '',     -- or why it did not
  UNIQUE (login, kind, dossier, occasion)
);
-- The bell: a user's unread ones, newest first.
CREATE INDEX notification_login ON notification(login, read_at, id);
-- The sweep: was this crossing notified already (to anyone)?
CREATE INDEX notification_dossier ON notification(dossier, kind, occasion) WHERE dossier <> '';
