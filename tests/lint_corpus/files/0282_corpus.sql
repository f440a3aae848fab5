-- expect: delete-without-where, int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE orders45 ADD COLUMN status_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN orders45.status_flag IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE invoices37 ADD CONSTRAINT invoices37_total_chk CHECK (total > 10) NOT VALID;

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS invoices25_v (id serial PRIMARY KEY, total varchar(40), seen timestamp);
COMMENT ON TABLE invoices25_v IS 'x';
COMMENT ON COLUMN invoices25_v.id IS 'x';
COMMENT ON COLUMN invoices25_v.total IS 'x';
COMMENT ON COLUMN invoices25_v.seen IS 'x';

-- step: DELETE FROM {t};
DELETE FROM invoices25;
