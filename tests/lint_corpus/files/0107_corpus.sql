-- expect: rename-table
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE events31 RENAME TO events31_old;
