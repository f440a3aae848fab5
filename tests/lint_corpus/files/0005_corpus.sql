-- expect: rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE events70 RENAME COLUMN status TO status_old;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE alerts87 ADD CONSTRAINT alerts87_label_chk CHECK (label > 398) NOT VALID;
