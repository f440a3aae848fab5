-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_devices54() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM devices54;
    TRUNCATE devices54;
    DROP TABLE devices54;
END
$body$;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE carts77 ADD COLUMN ref_at timestamptz DEFAULT now();
COMMENT ON COLUMN carts77.ref_at IS 'Added.';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE shipments77 ADD COLUMN IF NOT EXISTS kind_note text;
COMMENT ON COLUMN shipments77.kind_note IS 'Added.';
