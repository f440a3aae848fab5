-- expect: create-index-not-concurrently
SET LOCAL lock_timeout = '5s';

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE tickets4 SET ref = 0; CREATE INDEX x ON tickets4 (ref)');

-- step: CREATE INDEX IF NOT EXISTS {i} ON {t} ({
CREATE INDEX IF NOT EXISTS reviews24_amount_idx672 ON reviews24 (amount);
