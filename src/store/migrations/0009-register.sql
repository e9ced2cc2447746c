-- Schema version 9 (issue 12, form 1 and form 7): the tracking register
-- (Sổ theo dõi hồ sơ). A dossier gets its entry in the book of its
-- reception's year when it is received (at the desk, or when an online
-- submission is accepted, or a transfer arrives): the receipt prints
-- "Vào Sổ theo dõi hồ sơ, Quyển số ..., Số thứ tự ...". 0: not entered
-- (still waiting for reception).
ALTER TABLE dossier ADD COLUMN register_book INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier ADD COLUMN register_no INTEGER NOT NULL DEFAULT 0;
-- Form 1's "Số lượng hồ sơ: ... (bộ)": the sets of papers handed in.
ALTER TABLE dossier ADD COLUMN sets INTEGER NOT NULL DEFAULT 1;

-- The last number given in each agency's book of a year.
CREATE TABLE register_serial (
  agency TEXT NOT NULL,
  book   INTEGER NOT NULL,           -- the year
  last   INTEGER NOT NULL,
  PRIMARY KEY (agency, book)
) WITHOUT ROWID;

-- Dossiers received before this version: entered in the order they were
-- received (Vietnam is UTC+7 all year: the book is the local year).
UPDATE dossier SET register_book = r.book, register_no = r.no
FROM (SELECT code,
             CAST(strftime('%Y', received_at + 25200, 'unixepoch') AS INTEGER) AS book,
             row_number() OVER (PARTITION BY agency, strftime('%Y', received_at + 25200, 'unixepoch')
                                ORDER BY received_at, code) AS no
      FROM dossier WHERE received_at > 0) AS r
WHERE dossier.code = r.code;

INSERT INTO register_serial(agency, book, last)
SELECT agency, register_book, max(register_no) FROM dossier
WHERE register_no > 0 GROUP BY agency, register_book;

CREATE INDEX dossier_register ON dossier(agency, register_book, register_no) WHERE register_no > 0;
