-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE devices9 SET label = 231 WHERE label IS NULL AND id < 10000;
