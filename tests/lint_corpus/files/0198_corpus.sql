-- expect: drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE reviews64 DROP COLUMN kind;
