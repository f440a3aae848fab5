-- expect: constraint-without-not-valid, rename-column, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE reviews61 ADD COLUMN region_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN reviews61.region_flag IS 'Added.';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE accounts86 ALTER COLUMN email SET NOT NULL;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE orders20 ADD CONSTRAINT orders20_owner_id_chk CHECK (owner_id > 479);

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE accounts99 RENAME COLUMN total TO total_old;
