-- expect: add-not-null-column-without-default, int-primary-key, timestamp-without-time-zone, varchar-length, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_sessions89() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM sessions89;
    TRUNCATE sessions89;
    DROP TABLE sessions89;
END
$body$;

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE payments5 ADD COLUMN kind_id bigint NOT NULL;
COMMENT ON COLUMN payments5.kind_id IS 'Added.';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS messages14_v (id serial PRIMARY KEY, status varchar(40), seen timestamp);
COMMENT ON TABLE messages14_v IS 'x';
COMMENT ON COLUMN messages14_v.id IS 'x';
COMMENT ON COLUMN messages14_v.status IS 'x';
COMMENT ON COLUMN messages14_v.seen IS 'x';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE sessions29 ADD COLUMN amount_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN sessions29.amount_uid IS 'Added.';
