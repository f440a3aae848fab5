-- expect: foreign-key-without-index, rename-table
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE accounts52 SET email = 0; CREATE INDEX x ON accounts52 (email)');

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE shipments42 ADD COLUMN owner_id_at timestamptz DEFAULT now();
COMMENT ON COLUMN shipments42.owner_id_at IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE messages66 ADD CONSTRAINT messages66_kind_fk FOREIGN KEY (kind) REFERENCES parents (id) NOT VALID;
ALTER TABLE messages66 VALIDATE CONSTRAINT messages66_kind_fk;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE messages84 RENAME TO messages84_old;
