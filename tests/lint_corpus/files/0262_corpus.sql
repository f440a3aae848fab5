-- expect: create-without-if-not-exists, foreign-key-without-index
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA events57_s;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE accounts0 ADD CONSTRAINT accounts0_amount_fk FOREIGN KEY (amount) REFERENCES parents (id) NOT VALID;
ALTER TABLE accounts0 VALIDATE CONSTRAINT accounts0_amount_fk;

-- step: CREATE OR REPLACE FUNCTION purge_{t}() R
CREATE OR REPLACE FUNCTION purge_sessions79() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
    DELETE FROM sessions79;
    TRUNCATE sessions79;
    DROP TABLE sessions79;
END
$body$;
