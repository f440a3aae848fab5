-- expect: add-not-null-column-without-default, drop-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS accounts89;

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE products99 ADD COLUMN region_id bigint NOT NULL;
COMMENT ON COLUMN products99.region_id IS 'Added.';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE reviews36 ADD COLUMN owner_id_id bigint NOT NULL;
COMMENT ON COLUMN reviews36.owner_id_id IS 'Added.';
