-- expect: alter-column-type, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE payments17 ALTER COLUMN total TYPE bigint;

-- step: VACUUM FULL {t};
VACUUM FULL invoices5;
