-- expect: create-without-if-not-exists, rename-column, truncate
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE alerts84 RENAME COLUMN amount TO amount_old;

-- step: TRUNCATE {t};
TRUNCATE users24;

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA invoices18_s;

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE coupons46 SET label = 0; CREATE INDEX x ON coupons46 (label)');
