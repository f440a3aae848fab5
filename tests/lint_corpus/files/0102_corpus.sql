-- expect: concurrently-in-transaction, foreign-key-without-index, update-without-where
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE sessions13 ADD CONSTRAINT sessions13_kind_fk FOREIGN KEY (kind) REFERENCES parents (id) NOT VALID;
ALTER TABLE sessions13 VALIDATE CONSTRAINT sessions13_kind_fk;

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS events42_kind_idx728 ON events42 (kind);

-- step: UPDATE {t} SET {c} = {n};
UPDATE coupons87 SET label = 136;

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE products10 SET label = 87 WHERE label IS NULL AND id < 10000;
