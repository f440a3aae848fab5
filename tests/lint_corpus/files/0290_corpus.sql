-- expect: set-not-null
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE carts71 SET owner_id = 466 WHERE owner_id IS NULL AND id < 10000;

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE sessions12 ALTER COLUMN email SET NOT NULL;
