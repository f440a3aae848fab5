-- expect: drop-column, drop-schema-cascade
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS users60_s CASCADE;

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE carts30 SET region = 0; CREATE INDEX x ON carts30 (region)');

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE carts67 DROP COLUMN kind;
