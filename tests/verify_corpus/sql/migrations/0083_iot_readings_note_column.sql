-- Free-text note with a default.
ALTER TABLE iot.readings ADD COLUMN note text NOT NULL DEFAULT '';
