-- expect: drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE payments71 SET status = 6 WHERE status IS NULL AND id < 10000;

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS alerts10_s CASCADE;

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE events82 ADD CONSTRAINT total_nn CHECK (total IS NOT NULL) NOT VALID;
ALTER TABLE events82 VALIDATE CONSTRAINT total_nn;
ALTER TABLE events82 ALTER COLUMN total SET NOT NULL;
ALTER TABLE events82 DROP CONSTRAINT total_nn;
