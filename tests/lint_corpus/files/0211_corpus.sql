-- expect: constraint-without-not-valid, create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE shipments1 ADD CONSTRAINT shipments1_score_chk CHECK (score > 47);

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE messages83 SET owner_id = 71 WHERE owner_id IS NULL AND id < 10000;

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS users99_region_idx859 ON app.users99 (lower(region));

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE reviews23 SET label = 459 WHERE label IS NULL AND id < 10000;
