-- expect: drop-index-not-concurrently, rename-table, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: DROP INDEX IF EXISTS {i};
DROP INDEX IF EXISTS events57_ref_idx838;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE messages4 ADD COLUMN score_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN messages4.score_uid IS 'Added.';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE invoices3 RENAME TO invoices3_old;
