-- expect: cluster, drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE payments18 ADD CONSTRAINT payments18_owner_id_chk CHECK (owner_id > 52) NOT VALID;

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS events25_s CASCADE;

-- step: CLUSTER {t} USING {i};
CLUSTER sessions84 USING sessions84_kind_idx723;
