-- expect: rename-table, set-not-null
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} SET NOT
ALTER TABLE products20 ALTER COLUMN score SET NOT NULL;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE shipments76 RENAME TO shipments76_old;

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE alerts60; TRUNCATE alerts60; DELETE FROM alerts60';
