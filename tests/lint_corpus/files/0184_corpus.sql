-- expect: missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS products52_log (msg text);

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE events45 DROP COLUMN ref';
END
$$;
