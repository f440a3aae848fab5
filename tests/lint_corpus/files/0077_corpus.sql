-- expect: constraint-without-not-valid, delete-without-where, drop-table, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE accounts81;
/* ALTER TABLE accounts81 DROP COLUMN label; VACUUM FULL accounts81; */
SELECT 335;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE carts89 ADD CONSTRAINT carts89_kind_fk FOREIGN KEY (kind) REFERENCES parents (id);

-- step: DELETE FROM {t};
DELETE FROM coupons6;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS coupons53;
