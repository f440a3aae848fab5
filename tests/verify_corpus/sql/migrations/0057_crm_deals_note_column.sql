-- Free-text note with a default.
ALTER TABLE crm.deals ADD COLUMN note text NOT NULL DEFAULT '';
