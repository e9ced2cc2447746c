-- Schema version 16 (issue 14, internal operations): the units (đơn vị)
-- officers belong to and records are assigned to, an officer's unit, and
-- attachments: files held for the office's records (documents, tasks,
-- recommendations) rather than for a dossier.
--
-- scope 'node': this node's own offices (a commune's Văn phòng, phòng ban,
-- centre); scope 'province': the province's departments (sở, ngành), which
-- every node knows so that a commune can name the one its recommendation
-- concerns and a hub can route to it. The list is the province's after the
-- 2025 reorganisation; an administrator adds, renames or retires units
-- (unit.saved events), never deletes one a record names.
CREATE TABLE unit (
  code       TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 16),
  name       TEXT NOT NULL,
  abbr       TEXT NOT NULL,                 -- used in document symbols (…/UBND-VP)
  scope      TEXT NOT NULL CHECK (scope IN ('node','province')),
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  updated_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO unit(code, name, abbr, scope) VALUES
  ('VPUBND', 'Văn phòng Ủy ban nhân dân tỉnh', 'VPUBND', 'province'),
  ('SNV', 'Sở Nội vụ', 'SNV', 'province'),
  ('STC', 'Sở Tài chính', 'STC', 'province'),
  ('SXD', 'Sở Xây dựng', 'SXD', 'province'),
  ('SNNMT', 'Sở Nông nghiệp và Môi trường', 'SNNMT', 'province'),
  ('SYT', 'Sở Y tế', 'SYT', 'province'),
  ('SGDDT', 'Sở Giáo dục và Đào tạo', 'SGDĐT', 'province'),
  ('STP', 'Sở Tư pháp', 'STP', 'province'),
  ('SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch', 'SVHTTDL', 'province'),
  ('SKHCN', 'Sở Khoa học và Công nghệ', 'SKHCN', 'province'),
  ('SCT', 'Sở Công Thương', 'SCT', 'province'),
  ('SDTTG', 'Sở Dân tộc và Tôn giáo', 'SDTTG', 'province'),
  ('TTRA', 'Thanh tra tỉnh', 'TTr', 'province'),
  -- A commune's offices (Decree 150/2025); init --hub removes them.
  ('VP', 'Văn phòng HĐND và UBND', 'VP', 'node'),
  ('KT', 'Phòng Kinh tế', 'KT', 'node'),
  ('VHXH', 'Phòng Văn hóa - Xã hội', 'VHXH', 'node'),
  ('PVHCC', 'Trung tâm Phục vụ hành chính công', 'TTPVHCC', 'node');

-- The officer's unit ('' none): "my unit's" lists and routing on a hub.
ALTER TABLE user ADD COLUMN unit TEXT NOT NULL DEFAULT '';

-- A file attached to an office record (a document's scan, a task's report,
-- a recommendation's papers, an answer). The bytes are a blob like a
-- dossier's scans (file row, same checks); seq is its attachment.added
-- event, which the hub must accept before the bytes travel (docs/sync.md
-- §12). origin: 'local' uploaded here, 'hub' fetched from the hub because
-- an item it published names it.
CREATE TABLE attachment (
  sha256    TEXT PRIMARY KEY REFERENCES file(sha256),
  agency    TEXT NOT NULL,
  filename  TEXT NOT NULL DEFAULT '',
  mime      TEXT NOT NULL,
  size      INTEGER NOT NULL CHECK (size > 0),
  added_by  TEXT NOT NULL,
  added_at  INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  origin    TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','hub'))
) WITHOUT ROWID;
CREATE INDEX attachment_seq ON attachment(seq);

-- An attachment an applied pull item names that this node does not hold
-- yet: fetched from the hub in the files step (docs/sync.md §12.1),
-- resumable at received bytes (files/tmp/<part>.part).
CREATE TABLE attachment_want (
  sha256    TEXT PRIMARY KEY,
  filename  TEXT NOT NULL DEFAULT '',
  mime      TEXT NOT NULL DEFAULT '',
  size      INTEGER NOT NULL CHECK (size > 0),
  received  INTEGER NOT NULL DEFAULT 0,
  tries     INTEGER NOT NULL DEFAULT 0,
  error     TEXT NOT NULL DEFAULT '',
  added_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- A local attachment travels to the hub like a dossier's scan (0013): its
-- row in sync_file is made in the transaction that records it. One
-- fetched from the hub is the hub's already.
CREATE TRIGGER attachment_offer AFTER INSERT ON attachment WHEN new.origin = 'local' BEGIN
  INSERT OR IGNORE INTO sync_file(sha256, size) VALUES (new.sha256, new.size);
END;
