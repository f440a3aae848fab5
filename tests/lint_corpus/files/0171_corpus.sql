-- expect: alter-column-type
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE accounts53 ALTER COLUMN region TYPE bigint;
