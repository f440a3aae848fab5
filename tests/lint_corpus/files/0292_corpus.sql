-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE messages3 ADD COLUMN region_at timestamptz DEFAULT now();
COMMENT ON COLUMN messages3.region_at IS 'Added.';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_events37() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM events37;
    TRUNCATE events37;
    DROP TABLE events37;
END
$body$;
