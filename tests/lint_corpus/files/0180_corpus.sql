-- expect: delete-without-where, rename-table
SET LOCAL lock_timeout = '5s';

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE reviews50 SET label = 305 WHERE label IS NULL AND id < 10000;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE shipments0 RENAME TO shipments0_old;

-- step: DELETE FROM {t};
DELETE FROM payments68;
