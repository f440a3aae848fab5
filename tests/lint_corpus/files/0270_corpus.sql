-- expect: int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS invoices96_v (id serial PRIMARY KEY, owner_id varchar(40), seen timestamp);
COMMENT ON TABLE invoices96_v IS 'x';
COMMENT ON COLUMN invoices96_v.id IS 'x';
COMMENT ON COLUMN invoices96_v.owner_id IS 'x';
COMMENT ON COLUMN invoices96_v.seen IS 'x';
