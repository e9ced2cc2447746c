-- Schema version 17 (issue 14): the official document registers of
-- Decree 30/2020/NĐ-CP on clerical work (docs/documents.md): the incoming
-- register (sổ đăng ký văn bản đến) and the outgoing one (văn bản đi).
-- Version 16 is units and attachments.
--
-- One table holds both books. An entry is named by its agency, its book,
-- the year of its book, its series and its number: incoming documents are
-- numbered per year (series ''), outgoing ones per year and type (series
-- = the type). `id` is the same name as the API writes it: "2026-15" for
-- an incoming document, "2026-quyet_dinh-15" for an outgoing one.
CREATE TABLE document (
  agency        TEXT NOT NULL,
  book          TEXT NOT NULL CHECK (book IN ('in','out')),
  year          INTEGER NOT NULL,
  series        TEXT NOT NULL,
  no            INTEGER NOT NULL CHECK (no > 0),
  id            TEXT NOT NULL,
  type          TEXT NOT NULL,              -- core/vb.h code: quyet_dinh, cong_van, ...
  symbol        TEXT NOT NULL,              -- số, ký hiệu: as printed (in), built (out)
  doc_date      TEXT NOT NULL DEFAULT '',   -- the document's own date, YYYY-MM-DD
  day           TEXT NOT NULL,              -- the register's date: received (in), doc_date (out)
  excerpt       TEXT NOT NULL,              -- trích yếu
  urgency       TEXT NOT NULL,              -- thuong | khan | thuong_khan | hoa_toc
  secrecy       TEXT NOT NULL,              -- thuong | mat | toi_mat | tuyet_mat
  attachments   TEXT NOT NULL DEFAULT '[]', -- JSON: [{"sha256","filename","mime","size"}]
  note          TEXT NOT NULL DEFAULT '',
  -- incoming
  received_at   INTEGER NOT NULL DEFAULT 0,
  issuer        TEXT NOT NULL DEFAULT '',   -- the issuing body (tác giả)
  assignee      TEXT NOT NULL DEFAULT '',   -- an officer's login, '' for none
  unit          TEXT NOT NULL DEFAULT '',   -- in: the unit assigned; out: the drafting unit
  due_at        INTEGER NOT NULL DEFAULT 0, -- 0: no deadline
  state         TEXT NOT NULL DEFAULT '' CHECK (state IN ('','new','assigned','done')),
  done_at       INTEGER NOT NULL DEFAULT 0,
  done_by       TEXT NOT NULL DEFAULT '',
  -- outgoing
  issuer_abbr   TEXT NOT NULL DEFAULT '',   -- UBND
  signer_name   TEXT NOT NULL DEFAULT '',
  signer_title  TEXT NOT NULL DEFAULT '',
  recipients    TEXT NOT NULL DEFAULT '[]', -- JSON array of strings (nơi nhận)
  copies        INTEGER NOT NULL DEFAULT 0, -- 0: not said
  -- who and when
  registered_by TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_seq      INTEGER NOT NULL,           -- the entry's last event
  -- search keys (core/txt.h txt_fold): what anyone may match (issuer,
  -- symbol, number, type, signer, recipients) and the excerpt, matched
  -- only for those who may read it
  fold_pub      TEXT NOT NULL,
  fold_text     TEXT NOT NULL,
  PRIMARY KEY (agency, book, year, series, no)
) WITHOUT ROWID;
CREATE UNIQUE INDEX document_id ON document(agency, book, id);
-- Lists and exports by date; an officer's own.
CREATE INDEX document_day ON document(agency, book, day);
CREATE INDEX document_assignee ON document(agency, assignee, state) WHERE assignee <> '';

-- The last number given in each book, year and series. A number typed by
-- hand (a paper register caught up) raises it to at least that number, so
-- the numbers given after it follow it and never meet it.
CREATE TABLE document_serial (
  agency TEXT NOT NULL,
  book   TEXT NOT NULL,
  year   INTEGER NOT NULL,
  series TEXT NOT NULL,
  last   INTEGER NOT NULL,
  PRIMARY KEY (agency, book, year, series)
) WITHOUT ROWID;
