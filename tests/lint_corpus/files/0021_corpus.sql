-- expect: volatile-default
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE shipments33 SET label = 0; CREATE INDEX x ON shipments33 (label)');

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE orders94 ADD COLUMN score_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN orders94.score_uid IS 'Added.';
