-- Schema version 4: the applicant's identity document and organisations.
-- Until now every applicant was a person with a 12-digit CCCD in
-- id_number; rows made then keep that meaning through the defaults.
ALTER TABLE dossier ADD COLUMN id_type TEXT NOT NULL DEFAULT 'cccd';   -- cccd | cmnd | passport | none
ALTER TABLE dossier ADD COLUMN kind TEXT NOT NULL DEFAULT 'person';    -- person | organisation
ALTER TABLE dossier ADD COLUMN org_name TEXT NOT NULL DEFAULT '';      -- organisation's name
ALTER TABLE dossier ADD COLUMN tax_code TEXT NOT NULL DEFAULT '';      -- 10 digits or NNNNNNNNNN-NNN
ALTER TABLE dossier ADD COLUMN representative TEXT NOT NULL DEFAULT ''; -- organisation's representative
