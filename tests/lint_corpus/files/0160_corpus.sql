-- expect: foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE reviews55 ADD CONSTRAINT reviews55_email_fk FOREIGN KEY (email) REFERENCES parents (id) NOT VALID;
ALTER TABLE reviews55 VALIDATE CONSTRAINT reviews55_email_fk;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE messages73 ADD CONSTRAINT messages73_amount_chk CHECK (amount > 432) NOT VALID;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE sessions91 ADD CONSTRAINT sessions91_amount_fk FOREIGN KEY (amount) REFERENCES parents (id) NOT VALID;
ALTER TABLE sessions91 VALIDATE CONSTRAINT sessions91_amount_fk;
