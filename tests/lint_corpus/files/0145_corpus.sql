-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE accounts73 SET amount = 436 WHERE amount IS NULL AND id < 10000;
