-- expect: add-not-null-column-without-default, create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA products77_s;

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE products30 ADD COLUMN email_id bigint NOT NULL;
COMMENT ON COLUMN products30.email_id IS 'Added.';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN orders10.status IS 'never RENAME TO or DROP COLUMN this';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE shipments92 DROP COLUMN amount';
END
$$;
