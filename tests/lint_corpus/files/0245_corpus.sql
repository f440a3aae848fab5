-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: -- DROP TABLE {t};
-- DROP TABLE payments33;
/* ALTER TABLE payments33 DROP COLUMN ref; VACUUM FULL payments33; */
SELECT 378;

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE payments94 ADD COLUMN amount_at timestamptz DEFAULT now();
COMMENT ON COLUMN payments94.amount_at IS 'Added.';
