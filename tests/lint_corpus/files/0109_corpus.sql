-- expect: add-not-null-column-without-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE products37 ADD COLUMN score_id bigint NOT NULL;
COMMENT ON COLUMN products37.score_id IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE users44 ADD CONSTRAINT kind_nn CHECK (kind IS NOT NULL) NOT VALID;
ALTER TABLE users44 VALIDATE CONSTRAINT kind_nn;
ALTER TABLE users44 ALTER COLUMN kind SET NOT NULL;
ALTER TABLE users44 DROP CONSTRAINT kind_nn;
