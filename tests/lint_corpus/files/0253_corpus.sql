-- expect: int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS accounts67_v (id serial PRIMARY KEY, region varchar(40), seen timestamp);
COMMENT ON TABLE accounts67_v IS 'x';
COMMENT ON COLUMN accounts67_v.id IS 'x';
COMMENT ON COLUMN accounts67_v.region IS 'x';
COMMENT ON COLUMN accounts67_v.seen IS 'x';
