-- expect: int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS orders15_v (id serial PRIMARY KEY, region varchar(40), seen timestamp);
COMMENT ON TABLE orders15_v IS 'x';
COMMENT ON COLUMN orders15_v.id IS 'x';
COMMENT ON COLUMN orders15_v.region IS 'x';
COMMENT ON COLUMN orders15_v.seen IS 'x';
