-- expect: delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t};
DELETE FROM orders92;
