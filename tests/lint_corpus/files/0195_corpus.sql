-- expect: create-without-if-not-exists, delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t};
DELETE FROM alerts64;

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA accounts90_s;
