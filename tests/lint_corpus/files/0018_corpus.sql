-- expect: none
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD COLUMN {c}_flag bool
ALTER TABLE carts91 ADD COLUMN owner_id_flag boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN carts91.owner_id_flag IS 'Added.';
