-- expect: rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE devices87 ADD COLUMN IF NOT EXISTS ref_note text;
COMMENT ON COLUMN devices87.ref_note IS 'Added.';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE tickets95 RENAME TO tickets95_old;

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE invoices32 ADD COLUMN owner_id_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN invoices32.owner_id_flag IS 'Added.';
