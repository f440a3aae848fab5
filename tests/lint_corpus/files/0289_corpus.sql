-- expect: add-not-null-column-without-default, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE events30 ADD COLUMN status_id bigint NOT NULL;
COMMENT ON COLUMN events30.status_id IS 'Added.';

-- step: UPDATE {t} SET {c} = {n};
UPDATE events41 SET total = 84;

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE orders64 DROP COLUMN kind';
END
$$;
