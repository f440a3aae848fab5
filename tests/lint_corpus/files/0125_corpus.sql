-- expect: vacuum-full, volatile-default
SET LOCAL lock_timeout = '5s';

-- step: VACUUM FULL {t};
VACUUM FULL sessions50;

-- step: ALTER TABLE {t} ADD COLUMN {c}_uid uuid 
ALTER TABLE invoices81 ADD COLUMN owner_id_uid uuid NOT NULL DEFAULT gen_random_uuid();
COMMENT ON COLUMN invoices81.owner_id_uid IS 'Added.';

-- step: -- DROP TABLE {t};
-- DROP TABLE sessions18;
/* ALTER TABLE sessions18 DROP COLUMN score; VACUUM FULL sessions18; */
SELECT 328;
