-- expect: drop-column, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} DROP COLUMN {c};
ALTER TABLE tickets97 DROP COLUMN score;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS sessions44_log (msg text);
