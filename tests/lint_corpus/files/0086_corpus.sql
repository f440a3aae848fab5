-- expect: drop-table, foreign-key-without-index, missing-comment, missing-primary-key
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE alerts51 ADD CONSTRAINT alerts51_status_fk FOREIGN KEY (status) REFERENCES parents (id) NOT VALID;
ALTER TABLE alerts51 VALIDATE CONSTRAINT alerts51_status_fk;

-- step: DROP TABLE IF EXISTS {t};
DROP TABLE IF EXISTS coupons46;

-- step: CREATE TABLE IF NOT EXISTS {t}_log (msg 
CREATE TABLE IF NOT EXISTS orders5_log (msg text);

-- step: DELETE FROM {t} WHERE created_at < now()
DELETE FROM invoices6 WHERE created_at < now() - interval '90 days';
