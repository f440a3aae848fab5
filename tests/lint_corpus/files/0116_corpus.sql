-- expect: truncate, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: TRUNCATE {t};
TRUNCATE devices82;

-- step: UPDATE {t} SET {c} = {n};
UPDATE tickets96 SET ref = 371;
