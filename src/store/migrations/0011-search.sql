-- Schema version 11: full-text search over dossiers, and later over the
-- text read (OCR) from a dossier's scanned papers (issue 12).
--
-- search_doc is an FTS5 table whose tokenizer, motcua_vi, is C code that
-- motcua registers on each connection it opens (src/store/st_search.c): it
-- folds Vietnamese (case, diacritics, đ = d; precomposed and decomposed
-- text alike) and reports each word's place in the text as written, so
-- that highlight() and snippet() show the original text. Another program
-- (the sqlite3 shell) can read every other table, but not this one.
--
-- The index is kept by the store's own writes (st_dossier_insert,
-- st_result_set, st_search_put), never by triggers: a trigger would run in
-- the sqlite3 shell too, which has no motcua_vi. It is derived data: motcua
-- rebuilds the dossiers' rows after this migration (st_search_rebuild).

-- One row per indexed thing; its id is the rowid of its search_doc row.
CREATE TABLE search_ref (
  id      INTEGER PRIMARY KEY,
  kind    TEXT NOT NULL CHECK (kind IN ('dossier', 'file')),
  ref     TEXT NOT NULL,     -- a dossier's code; a file's "<dossier code>/<sha256>"
  dossier TEXT NOT NULL,     -- the dossier it belongs to
  agency  TEXT NOT NULL,     -- its agency when indexed (a dossier's own row wins)
  UNIQUE (kind, ref)
);
CREATE INDEX search_ref_dossier ON search_ref(dossier);

-- title: who (the applicant); body: the rest (code, procedure, numbers,
-- address, summary, result number; or a file's text). Prefix indexes of 2
-- and 3 characters serve the partial words a user types.
CREATE VIRTUAL TABLE search_doc USING fts5(title, body, tokenize = 'motcua_vi',
  prefix = '2 3');
