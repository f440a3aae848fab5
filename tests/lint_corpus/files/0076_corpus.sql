-- expect: delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: DELETE FROM {t};
DELETE FROM invoices26;

-- step: -- DROP TABLE {t};
-- DROP TABLE alerts8;
/* ALTER TABLE alerts8 DROP COLUMN region; VACUUM FULL alerts8; */
SELECT 408;
