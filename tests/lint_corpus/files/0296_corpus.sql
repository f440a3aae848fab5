-- expect: cluster, create-index-not-concurrently, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER orders11 USING orders11_owner_id_idx151;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS payments19_log (msg text);

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE products28 ADD CONSTRAINT products28_score_chk CHECK (score > 35) NOT VALID;

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS alerts4_total_idx538 ON alerts4 (total);
