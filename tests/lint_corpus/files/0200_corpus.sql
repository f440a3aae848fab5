-- expect: cluster, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER users84 USING users84_total_idx254;

-- step: VACUUM FULL {t};
VACUUM FULL reviews80;

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE messages77 ADD COLUMN owner_id_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN messages77.owner_id_flag IS 'Added.';
