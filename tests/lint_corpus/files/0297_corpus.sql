-- expect: cluster, drop-column, int-primary-key, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE invoices25 DROP COLUMN email;

-- step: CLUSTER {t} USING {i};
CLUSTER invoices83 USING invoices83_score_idx596;

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS alerts17_v (id serial PRIMARY KEY, kind varchar(40), seen timestamp);
COMMENT ON TABLE alerts17_v IS 'x';
COMMENT ON COLUMN alerts17_v.id IS 'x';
COMMENT ON COLUMN alerts17_v.kind IS 'x';
COMMENT ON COLUMN alerts17_v.seen IS 'x';
