-- expect: create-without-if-not-exists, rename-table, truncate, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL users20;

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA carts38_s;

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE shipments15 RENAME TO shipments15_old;

-- step: TRUNCATE {t};
TRUNCATE carts15;
