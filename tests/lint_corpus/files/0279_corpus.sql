-- expect: create-without-if-not-exists, drop-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS accounts7_amount_idx42;

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA tickets97_s;

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM accounts39 WHERE created_at < now() - interval '90 days';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE accounts85 ADD CONSTRAINT accounts85_owner_id_chk CHECK (owner_id > 499) NOT VALID;
