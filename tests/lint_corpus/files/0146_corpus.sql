-- expect: drop-table, rename-table
SET LOCAL lock_timeout = '5s';

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS invoices69;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE products96 RENAME TO products96_old;

-- step: ALTER TABLE {t} ADD COLUMN IF NOT EXISTS
ALTER TABLE carts59 ADD COLUMN IF NOT EXISTS owner_id_note text;
COMMENT ON COLUMN carts59.owner_id_note IS 'Added.';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE users49 SET total = 0; CREATE INDEX x ON users49 (total)');
