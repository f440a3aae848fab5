-- expect: concurrently-in-transaction
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS products32_email_idx613 ON products32 (email);

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE users41 ADD CONSTRAINT users41_region_chk CHECK (region > 191) NOT VALID;
