-- expect: alter-column-type, constraint-without-not-valid
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE sessions59 ADD CONSTRAINT sessions59_owner_id_chk CHECK (owner_id > 390);

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE events79 SET total = 96 WHERE total IS NULL AND id < 10000;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE alerts53 ALTER COLUMN email TYPE bigint;
