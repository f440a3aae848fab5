-- expect: constraint-without-not-valid, drop-schema-cascade, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL messages14;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE events28 ADD CONSTRAINT events28_kind_chk CHECK (kind > 49);

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE messages90 ADD CONSTRAINT messages90_total_chk CHECK (total > 284);

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS sessions69_s CASCADE;
