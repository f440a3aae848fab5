-- expect: concurrently-in-transaction
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS messages28_total_idx298 ON messages28 (total);

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE devices51 ADD CONSTRAINT devices51_total_chk CHECK (total > 450) NOT VALID;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE orders23 ADD CONSTRAINT orders23_region_chk CHECK (region > 328) NOT VALID;
