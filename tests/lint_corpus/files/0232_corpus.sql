-- expect: drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE alerts42 SET owner_id = 0; CREATE INDEX x ON alerts42 (owner_id)');

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS orders80_s CASCADE;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE messages49 ADD COLUMN kind_at timestamptz DEFAULT now();
COMMENT ON COLUMN messages49.kind_at IS 'Added.';
