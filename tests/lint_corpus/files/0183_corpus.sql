-- expect: delete-without-where, drop-column, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE shipments88 SET label = 0; CREATE INDEX x ON shipments88 (label)');

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Payments46" DROP COLUMN "Score";

-- step: DELETE FROM {t};
DELETE FROM payments14;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS coupons80_log (msg text);
