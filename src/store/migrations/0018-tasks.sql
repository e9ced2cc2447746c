-- Schema version 18 (issue 14): tasks (giao việc) from directives, their
-- progress history, the hub's record of each commune's assignment of a
-- province task, and the notifications that remind of their deadlines
-- (docs/tasks.md). The pull's stream 'tasks' needs no change of
-- hub_outbox: migration 0019 makes its CHECK take any stream name.

-- A task as the node that holds it knows it. The id is global: the
-- assigning node's agency code and "/T-YYYY-NNNN". agency is the node that
-- works it (a commune for a task the province sent it), assigner the one
-- that assigned it. origin: 'local' (made here), 'hub' (came down from the
-- province), 'commune' (on a hub: a commune's own task it shared).
CREATE TABLE task (
  id           TEXT PRIMARY KEY,
  agency       TEXT NOT NULL,
  assigner     TEXT NOT NULL,
  origin       TEXT NOT NULL CHECK (origin IN ('local', 'hub', 'commune')),
  title        TEXT NOT NULL,
  content      TEXT NOT NULL DEFAULT '',
  source_kind  TEXT NOT NULL CHECK (source_kind IN ('document', 'meeting', 'person')),
  source_ref   TEXT NOT NULL,
  source_date  TEXT NOT NULL DEFAULT '',       -- YYYY-MM-DD or ''
  unit         TEXT NOT NULL DEFAULT '',       -- the owner unit ('' not delegated yet)
  officer      TEXT NOT NULL DEFAULT '',       -- the owner officer's login ('' none)
  coworkers    TEXT NOT NULL DEFAULT '[]',     -- JSON array of logins
  creator      TEXT NOT NULL,
  creator_name TEXT NOT NULL DEFAULT '',
  assigned_at  INTEGER NOT NULL,
  deadline     TEXT NOT NULL,                  -- JSON {"date"} or {"time","unit"}
  due_at       INTEGER NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('assigned', 'in_progress', 'reported_done',
                                              'accepted', 'returned', 'cancelled')),
  percent      INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
  done_at      INTEGER NOT NULL DEFAULT 0,     -- the last report of completion
  closed_at    INTEGER NOT NULL DEFAULT 0,     -- accepted or cancelled
  reason       TEXT NOT NULL DEFAULT '',       -- the last return's or the cancel's
  recur        TEXT NOT NULL DEFAULT '' CHECK (recur IN ('', 'monthly', 'quarterly')),
  recur_day    INTEGER NOT NULL DEFAULT 0,
  series       TEXT NOT NULL DEFAULT '',       -- the first instance's id ('' not recurring)
  period       TEXT NOT NULL DEFAULT '',       -- "YYYY-MM" of the instance's nominal date
  nominal      TEXT NOT NULL DEFAULT '',       -- that date, before moving off a day off
  shared       INTEGER NOT NULL DEFAULT 0,     -- a commune's own task the hub shows
  attachments  TEXT NOT NULL DEFAULT '[]',     -- JSON [{sha256, filename, mime, size}]
  communes     TEXT NOT NULL DEFAULT '[]',     -- on a hub: the communes it went to
  updated_at   INTEGER NOT NULL,
  last_seq     INTEGER NOT NULL DEFAULT 0      -- the event that wrote the row last
);
CREATE INDEX task_agency_due ON task(agency, state, due_at);
CREATE INDEX task_unit ON task(unit, state);
CREATE INDEX task_officer ON task(officer, state);
-- One instance per period of a recurring series: the next is made once.
CREATE UNIQUE INDEX task_series_period ON task(series, period) WHERE series <> '';

-- Serials of task ids, per agency and year.
CREATE TABLE task_serial (
  agency TEXT NOT NULL,
  year   INTEGER NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (agency, year)
) WITHOUT ROWID;

-- A task's history: every action with who, when, and what it carried.
-- commune: on a hub, the commune whose assignment the row is about ('' for
-- the task itself); agency, seq: the log that holds the event.
CREATE TABLE task_log (
  id          INTEGER PRIMARY KEY,
  task        TEXT NOT NULL,
  commune     TEXT NOT NULL DEFAULT '',
  agency      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  actor_name  TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,                   -- assign, start, progress, ... delegate
  from_state  TEXT NOT NULL DEFAULT '',
  to_state    TEXT NOT NULL DEFAULT '',
  percent     INTEGER NOT NULL DEFAULT -1,     -- -1: none
  text        TEXT NOT NULL DEFAULT '',
  attachments TEXT NOT NULL DEFAULT '[]',
  note        TEXT NOT NULL DEFAULT ''         -- e.g. 'after_final': kept, changed nothing
);
CREATE INDEX task_log_task ON task_log(task, commune, id);
-- An event is recorded once however often it arrives.
CREATE UNIQUE INDEX task_log_event ON task_log(agency, seq, task, commune);

-- On a hub: each commune's assignment of a province task.
CREATE TABLE hub_task_assign (
  agency       TEXT NOT NULL,                  -- the commune
  task         TEXT NOT NULL,
  state        TEXT NOT NULL,
  percent      INTEGER NOT NULL DEFAULT 0,
  unit         TEXT NOT NULL DEFAULT '',
  officer      TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER NOT NULL DEFAULT 0,     -- the commune's node took it
  done_at      INTEGER NOT NULL DEFAULT 0,
  closed_at    INTEGER NOT NULL DEFAULT 0,
  reason       TEXT NOT NULL DEFAULT '',
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (agency, task)
) WITHOUT ROWID;
CREATE INDEX hub_task_assign_task ON hub_task_assign(task);

-- The pull's stream 'tasks' (docs/sync.md §7.2) needs no change here:
-- migration 0019 rebuilds hub_outbox with a CHECK that takes any stream
-- name.

-- Notifications gain the kinds task_near_due and task_overdue, keyed by
-- the task id in the column named dossier (occasion: the due time). The
-- CHECK names the kinds, so the table is rebuilt with its rows and ids.
CREATE TABLE notification_new (
  id          INTEGER PRIMARY KEY,
  agency      TEXT NOT NULL,
  login       TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('near_due', 'overdue', 'digest',
                                            'task_near_due', 'task_overdue')),
  dossier     TEXT NOT NULL DEFAULT '',     -- the dossier code, or the task id
  occasion    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  read_at     INTEGER NOT NULL DEFAULT 0,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  emailed_at  INTEGER NOT NULL DEFAULT 0,
  email_error TEXT NOT NULL DEFAULT '',
  UNIQUE (login, kind, dossier, occasion)
);
INSERT INTO notification_new SELECT id, agency, login, kind, dossier, occasion, created_at,
  read_at, title, body, emailed_at, email_error FROM notification ORDER BY id;
DROP TABLE notification;
ALTER TABLE notification_new RENAME TO notification;
CREATE INDEX notification_login ON notification(login, read_at, id);
CREATE INDEX notification_dossier ON notification(dossier, kind, occasion) WHERE dossier <> '';
