-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE reviews43 ADD COLUMN total_id bigint NOT NULL;
COMMENT ON COLUMN reviews43.total_id IS 'Added.';

-- step: -- DROP TABLE {t};
-- DROP TABLE products36;
/* ALTER TABLE products36 DROP COLUMN region; VACUUM FULL products36; */
SELECT 217;

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE orders37 ADD CONSTRAINT kind_nn CHECK (kind IS NOT NULL) NOT VALID;
ALTER TABLE orders37 VALIDATE CONSTRAINT kind_nn;
ALTER TABLE orders37 ALTER COLUMN kind SET NOT NULL;
ALTER TABLE orders37 DROP CONSTRAINT kind_nn;
