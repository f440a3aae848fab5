-- expect: create-without-if-not-exists, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA accounts82_s;

-- step: -- DROP TABLE {t};
-- DROP TABLE accounts21;
/* ALTER TABLE accounts21 DROP COLUMN total; VACUUM FULL accounts21; */
SELECT 176;

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE tickets32 SET kind = 336 WHERE kind IS NULL AND id < 10000;

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE tickets61 ALTER COLUMN label SET NOT NULL;
