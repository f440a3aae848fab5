-- expect: drop-schema-cascade, truncate
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS users3_s CASCADE;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM orders53 WHERE created_at < now() - interval '90 days';

-- step: TRUNCATE {t};
TRUNCATE payments11;
