-- expect: add-not-null-column-without-default, constraint-without-not-valid, drop-schema-cascade, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS alerts61_s CASCADE;

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE shipments94 ADD COLUMN kind_id bigint NOT NULL;
COMMENT ON COLUMN shipments94.kind_id IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE users26 ADD CONSTRAINT users26_label_fk FOREIGN KEY (label) REFERENCES parents (id);

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE users97; TRUNCATE users97; DELETE FROM users97';
