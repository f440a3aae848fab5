-- expect: alter-column-type, rename-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE accounts32 RENAME COLUMN amount TO amount_old;

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE events50 ALTER COLUMN total TYPE bigint;
