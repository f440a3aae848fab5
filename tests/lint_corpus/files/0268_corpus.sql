-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE shipments98 SET region = 236 WHERE region IS NULL AND id < 10000;
