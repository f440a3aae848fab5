-- expect: int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS invoices31_v (id serial PRIMARY KEY, region varchar(40), seen timestamp);
COMMENT ON TABLE invoices31_v IS 'x';
COMMENT ON COLUMN invoices31_v.id IS 'x';
COMMENT ON COLUMN invoices31_v.region IS 'x';
COMMENT ON COLUMN invoices31_v.seen IS 'x';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE sessions52 SET kind = 0; CREATE INDEX x ON sessions52 (kind)');

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS users31_v (id serial PRIMARY KEY, status varchar(40), seen timestamp);
COMMENT ON TABLE users31_v IS 'x';
COMMENT ON COLUMN users31_v.id IS 'x';
COMMENT ON COLUMN users31_v.status IS 'x';
COMMENT ON COLUMN users31_v.seen IS 'x';
