-- expect: alter-column-type, constraint-without-not-valid, create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE alerts88 ADD CONSTRAINT alerts88_owner_id_chk CHECK (owner_id > 41);

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA events71_s;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE accounts60 ALTER COLUMN total TYPE bigint;
