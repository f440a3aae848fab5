-- expect: drop-column
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_at timest
ALTER TABLE users30 ADD COLUMN ref_at timestamptz DEFAULT now();
COMMENT ON COLUMN users30.ref_at IS 'Added.';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE carts30 ADD CONSTRAINT owner_id_nn CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE carts30 VALIDATE CONSTRAINT owner_id_nn;
ALTER TABLE carts30 ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE carts30 DROP CONSTRAINT owner_id_nn;

-- step: ALTER TABLE "{T}" DROP COLUMN "{C}";
ALTER TABLE "Orders91" DROP COLUMN "Email";

-- step: -- DROP TABLE {t};
-- DROP TABLE shipments87;
/* ALTER TABLE shipments87 DROP COLUMN total; VACUUM FULL shipments87; */
SELECT 343;
