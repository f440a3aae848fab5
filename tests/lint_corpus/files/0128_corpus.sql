-- expect: foreign-key-without-index, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: COMMENT ON COLUMN {t}.{c} IS 'never RENA
COMMENT ON COLUMN events74.amount IS 'never RENAME TO or DROP COLUMN this';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE devices44 ADD CONSTRAINT devices44_amount_fk FOREIGN KEY (amount) REFERENCES parents (id) NOT VALID;
ALTER TABLE devices44 VALIDATE CONSTRAINT devices44_amount_fk;

-- step: VACUUM FULL {t};
VACUUM FULL payments78;
