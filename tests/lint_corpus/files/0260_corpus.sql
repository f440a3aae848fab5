-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_payments46() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM payments46;
    TRUNCATE payments46;
    DROP TABLE payments46;
END
$body$;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE devices22 ADD COLUMN email_at timestamptz DEFAULT now();
COMMENT ON COLUMN devices22.email_at IS 'Added.';
