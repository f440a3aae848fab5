-- expect: constraint-without-not-valid, foreign-key-without-index, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE sessions52; TRUNCATE sessions52; DELETE FROM sessions52';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE products46 ADD COLUMN ref_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN products46.ref_uid IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE accounts1 ADD CONSTRAINT accounts1_owner_id_fk FOREIGN KEY (owner_id) REFERENCES parents (id);
