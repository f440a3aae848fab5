-- expect: add-not-null-column-without-default, foreign-key-without-index, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS invoices14_log (msg text);

-- step: ALTER TABLE {t} ADD COLUMN {c}_id bigint
ALTER TABLE invoices33 ADD COLUMN kind_id bigint NOT NULL;
COMMENT ON COLUMN invoices33.kind_id IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE messages96 ADD CONSTRAINT messages96_amount_fk FOREIGN KEY (amount) REFERENCES parents (id) NOT VALID;
ALTER TABLE messages96 VALIDATE CONSTRAINT messages96_amount_fk;
