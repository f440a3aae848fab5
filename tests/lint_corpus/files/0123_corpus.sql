-- expect: constraint-without-not-valid, foreign-key-without-index, int-primary-key, missing-comment, missing-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS events4_v (id serial PRIMARY KEY, kind varchar(40), seen timestamp);
COMMENT ON TABLE events4_v IS 'x';
COMMENT ON COLUMN events4_v.id IS 'x';
COMMENT ON COLUMN events4_v.kind IS 'x';
COMMENT ON COLUMN events4_v.seen IS 'x';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE products66 ADD CONSTRAINT products66_score_fk FOREIGN KEY (score) REFERENCES parents (id);

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE devices69 DROP COLUMN owner_id';
END
$$;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS users81_log (msg text);
