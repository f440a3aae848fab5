-- expect: constraint-without-not-valid, delete-without-where, foreign-key-without-index, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE orders67 ADD COLUMN owner_id_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN orders67.owner_id_uid IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE messages6 ADD CONSTRAINT messages6_amount_fk FOREIGN KEY (amount) REFERENCES parents (id);

-- step: DELETE FROM {t};
DELETE FROM tickets67;
