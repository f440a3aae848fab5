-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: SELECT 'DROP TABLE {t}; TRUNCATE {t}; DE
SELECT 'DROP TABLE events99; TRUNCATE events99; DELETE FROM events99';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE messages47 DROP COLUMN kind';
END
$$;
