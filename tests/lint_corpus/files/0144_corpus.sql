-- expect: create-without-if-not-exists, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA tickets88_s;

-- step: UPDATE {t} SET {c} = {n};
UPDATE coupons20 SET ref = 418;
