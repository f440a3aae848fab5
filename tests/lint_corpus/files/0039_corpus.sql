-- expect: create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS tickets38_owner_id_idx86 ON app.tickets38 (lower(owner_id));

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_accounts84() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM accounts84;
    TRUNCATE accounts84;
    DROP TABLE accounts84;
END
$body$;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM alerts19 WHERE created_at < now() - interval '90 days';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE orders91 ADD COLUMN label_at timestamptz DEFAULT now();
COMMENT ON COLUMN orders91.label_at IS 'Added.';
