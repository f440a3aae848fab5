-- expect: create-index-not-concurrently, drop-column, drop-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS sessions49;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS sessions55;

-- step: CREATE INDEX IF NOT EXISTS {i} ON app.{t
CREATE INDEX IF NOT EXISTS shipments19_owner_id_idx722 ON app.shipments19 (lower(owner_id));

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Products34" DROP COLUMN "Label";
