-- expect: vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE users81; TRUNCATE users81; DELETE FROM users81';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE shipments41 ADD CONSTRAINT shipments41_email_chk CHECK (email > 249) NOT VALID;

-- step: VACUUM FULL {t};
VACUUM FULL shipments22;
