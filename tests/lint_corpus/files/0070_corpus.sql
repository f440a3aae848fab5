-- expect: create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA sessions23_s;

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE products41 SET status = 129 WHERE status IS NULL AND id < 10000;
