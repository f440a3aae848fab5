-- expect: alter-column-type, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ALTER COLUMN {c} TYPE bi
ALTER TABLE carts78 ALTER COLUMN owner_id TYPE bigint;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE products5 ADD CONSTRAINT products5_region_fk FOREIGN KEY (region) REFERENCES parents (id) NOT VALID;
ALTER TABLE products5 VALIDATE CONSTRAINT products5_region_fk;
