-- expect: int-primary-key, set-not-null, timestamp-without-time-zone, varchar-length
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_v (id ser
CREATE TABLE IF NOT EXISTS orders77_v (id serial PRIMARY KEY, score varchar(40), seen timestamp);
COMMENT ON TABLE orders77_v IS 'x';
COMMENT ON COLUMN orders77_v.id IS 'x';
COMMENT ON COLUMN orders77_v.score IS 'x';
COMMENT ON COLUMN orders77_v.seen IS 'x';

-- step: -- DROP TABLE {t};
-- DROP TABLE shipments77;
/* ALTER TABLE shipments77 DROP COLUMN status; VACUUM FULL shipments77; */
SELECT 474;

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE messages45 ALTER COLUMN owner_id SET NOT NULL;
