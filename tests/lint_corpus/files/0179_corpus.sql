-- expect: rename-table, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n};
UPDATE accounts52 SET status = 211;

-- step: -- DROP TABLE {t};
-- DROP TABLE events63;
/* ALTER TABLE events63 DROP COLUMN region; VACUUM FULL events63; */
SELECT 293;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE coupons35 ADD COLUMN ref_at timestamptz DEFAULT now();
COMMENT ON COLUMN coupons35.ref_at IS 'Added.';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE devices88 RENAME TO devices88_old;
