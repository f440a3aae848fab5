-- expect: drop-column, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE reviews68 SET owner_id = 0; CREATE INDEX x ON reviews68 (owner_id)');

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS products16_log (msg text);

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Messages94" DROP COLUMN "Region";

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE accounts39 DROP COLUMN email';
END
$$;
