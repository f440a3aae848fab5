-- expect: constraint-without-not-valid, drop-schema-cascade, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: DROP SCHEMA IF EXISTS {t}_s CASCADE;
DROP SCHEMA IF EXISTS coupons7_s CASCADE;

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE shipments18 SET owner_id = 0; CREATE INDEX x ON shipments18 (owner_id)');

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE orders34 ADD CONSTRAINT orders34_status_fk FOREIGN KEY (status) REFERENCES parents (id);

-- step: INSERT INTO audit (note) VALUES ('UPDATE
INSERT INTO audit (note) VALUES ('UPDATE invoices44 SET owner_id = 0; CREATE INDEX x ON invoices44 (owner_id)');
