-- expect: create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM users25 WHERE created_at < now() - interval '90 days';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA events60_s;
