-- expect: cluster, constraint-without-not-valid, drop-table
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER coupons82 USING coupons82_ref_idx830;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS sessions49;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE reviews8 ADD CONSTRAINT reviews8_owner_id_chk CHECK (owner_id > 441);
