-- expect: constraint-without-not-valid, rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE reviews15 RENAME TO reviews15_old;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE orders71 ADD CONSTRAINT orders71_email_chk CHECK (email > 430);
