-- expect: delete-without-where, truncate
SET LOCAL lock_timeout = '5s';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE tickets21 DROP COLUMN ref';
END
$$;

-- step: DELETE FROM {t};
DELETE FROM tickets32;

-- step: TRUNCATE {t};
TRUNCATE invoices24;

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE payments38 SET ref = 0; CREATE INDEX x ON payments38 (ref)');
