-- expect: constraint-without-not-valid
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_c
ALTER TABLE tickets25 ADD CONSTRAINT tickets25_email_chk CHECK (email > 355);

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_coupons92() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM coupons92;
    TRUNCATE coupons92;
    DROP TABLE coupons92;
END
$body$;
