-- expect: drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS users43_s CASCADE;
