-- expect: cluster, constraint-without-not-valid
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER shipments85 USING shipments85_score_idx143;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE messages66 ADD CONSTRAINT messages66_status_chk CHECK (status > 439);
