-- expect: add-not-null-column-without-default, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE tickets95 ADD COLUMN ref_id bigint NOT NULL;
COMMENT ON COLUMN tickets95.ref_id IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE reviews40 ADD CONSTRAINT reviews40_owner_id_fk FOREIGN KEY (owner_id) REFERENCES parents (id) NOT VALID;
ALTER TABLE reviews40 VALIDATE CONSTRAINT reviews40_owner_id_fk;
