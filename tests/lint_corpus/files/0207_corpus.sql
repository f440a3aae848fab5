-- expect: cluster, create-without-if-not-exists, int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER invoices25 USING invoices25_kind_idx140;

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS alerts30_v (id serial PRIMARY KEY, owner_id varchar(40), seen timestamp);
COMMENT ON TABLE alerts30_v IS 'x';
COMMENT ON COLUMN alerts30_v.id IS 'x';
COMMENT ON COLUMN alerts30_v.owner_id IS 'x';
COMMENT ON COLUMN alerts30_v.seen IS 'x';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA accounts82_s;
