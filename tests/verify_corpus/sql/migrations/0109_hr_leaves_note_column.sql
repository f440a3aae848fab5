-- Free-text note with a default.
ALTER TABLE hr.leaves ADD COLUMN note text NOT NULL DEFAULT '';
