-- expect: constraint-without-not-valid, rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE invoices33 ADD CONSTRAINT owner_id_nn CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE invoices33 VALIDATE CONSTRAINT owner_id_nn;
ALTER TABLE invoices33 ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE invoices33 DROP CONSTRAINT owner_id_nn;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE sessions94 ADD CONSTRAINT sessions94_total_chk CHECK (total > 433) NOT VALID;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE invoices61 RENAME TO invoices61_old;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE invoices76 ADD CONSTRAINT invoices76_amount_chk CHECK (amount > 131);
