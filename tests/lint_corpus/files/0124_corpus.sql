-- expect: cluster, drop-schema-cascade, rename-table
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS products87_s CASCADE;

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE reviews81 ADD COLUMN email_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN reviews81.email_flag IS 'Added.';

-- step: ALTER TABLE {t} RENAME TO {t}_old;
ALTER TABLE carts7 RENAME TO carts7_old;

-- step: CLUSTER {t} USING {i};
CLUSTER reviews74 USING reviews74_kind_idx111;
