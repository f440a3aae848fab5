-- expect: update-without-where
SET LOCAL lock_timeout = '5s';

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE accounts1 DROP COLUMN total';
END
$$;

-- step: UPDATE {t} SET {c} = {n};
UPDATE events88 SET owner_id = 251;

-- step: UPDATE {t} SET {c} = {n} WHERE {c} IS NU
UPDATE tickets59 SET total = 393 WHERE total IS NULL AND id < 10000;
