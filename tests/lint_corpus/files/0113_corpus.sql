-- expect: add-not-null-column-without-default, constraint-without-not-valid, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE alerts88 ADD COLUMN amount_id bigint NOT NULL;
COMMENT ON COLUMN alerts88.amount_id IS 'Added.';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE reviews65 SET kind = 0; CREATE INDEX x ON reviews65 (kind)');

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE tickets27 ADD CONSTRAINT tickets27_owner_id_fk FOREIGN KEY (owner_id) REFERENCES parents (id);

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE invoices62 ADD COLUMN label_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN invoices62.label_flag IS 'Added.';
