-- expect: int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS products88_v (id serial PRIMARY KEY, owner_id varchar(40), seen timestamp);
COMMENT ON TABLE products88_v IS 'x';
COMMENT ON COLUMN products88_v.id IS 'x';
COMMENT ON COLUMN products88_v.owner_id IS 'x';
COMMENT ON COLUMN products88_v.seen IS 'x';
