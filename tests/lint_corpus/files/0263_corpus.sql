-- expect: create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE users71 ADD CONSTRAINT owner_id_nn CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE users71 VALIDATE CONSTRAINT owner_id_nn;
ALTER TABLE users71 ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE users71 DROP CONSTRAINT owner_id_nn;

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE orders75 ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;
ALTER TABLE orders75 VALIDATE CONSTRAINT amount_nn;
ALTER TABLE orders75 ALTER COLUMN amount SET NOT NULL;
ALTER TABLE orders75 DROP CONSTRAINT amount_nn;

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE messages41; TRUNCATE messages41; DELETE FROM messages41';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA invoices67_s;
