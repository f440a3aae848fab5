-- expect: alter-column-type, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE invoices34 ALTER COLUMN amount TYPE bigint;

-- step: UPDATE {t} SET {c} = {n};
UPDATE invoices5 SET owner_id = 25;
