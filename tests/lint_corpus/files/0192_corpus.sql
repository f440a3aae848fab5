-- expect: rename-column, rename-table, truncate
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE payments0 RENAME TO payments0_old;

-- step: ALTER TABLE {t} RENAME COLUMN {c} TO {c}
ALTER TABLE events42 RENAME COLUMN label TO label_old;

-- step: TRUNCATE {t};
TRUNCATE carts83;
