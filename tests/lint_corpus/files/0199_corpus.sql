-- expect: drop-column, drop-schema-cascade, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Sessions36" DROP COLUMN "Amount";

-- step: VACUUM FULL {t};
VACUUM FULL tickets45;

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS accounts35_s CASCADE;
