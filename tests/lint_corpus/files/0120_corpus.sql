-- expect: drop-index-not-concurrently, drop-schema-cascade, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS users18_s CASCADE;

-- step: VACUUM FULL {t};
VACUUM FULL users94;

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS coupons29_ref_idx872;
