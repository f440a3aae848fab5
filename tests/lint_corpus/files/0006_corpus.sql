-- expect: drop-schema-cascade, foreign-key-without-index, int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS devices46_s CASCADE;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE sessions10 ADD CONSTRAINT sessions10_ref_fk FOREIGN KEY (ref) REFERENCES parents (id) NOT VALID;
ALTER TABLE sessions10 VALIDATE CONSTRAINT sessions10_ref_fk;

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS shipments93_v (id serial PRIMARY KEY, total varchar(40), seen timestamp);
COMMENT ON TABLE shipments93_v IS 'x';
COMMENT ON COLUMN shipments93_v.id IS 'x';
COMMENT ON COLUMN shipments93_v.total IS 'x';
COMMENT ON COLUMN shipments93_v.seen IS 'x';
