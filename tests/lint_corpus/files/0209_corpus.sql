-- expect: delete-without-where, int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE events88 ADD CONSTRAINT events88_kind_chk CHECK (kind > 185) NOT VALID;

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS products5_v (id serial PRIMARY KEY, email varchar(40), seen timestamp);
COMMENT ON TABLE products5_v IS 'x';
COMMENT ON COLUMN products5_v.id IS 'x';
COMMENT ON COLUMN products5_v.email IS 'x';
COMMENT ON COLUMN products5_v.seen IS 'x';

-- step: DELETE FROM {t};
DELETE FROM products14;

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE payments41 ADD COLUMN total_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN payments41.total_flag IS 'Added.';
