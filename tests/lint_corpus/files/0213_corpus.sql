-- expect: constraint-without-not-valid, foreign-key-without-index, vacuum-full
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE sessions7 ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE sessions7 VALIDATE CONSTRAINT email_nn;
ALTER TABLE sessions7 ALTER COLUMN email SET NOT NULL;
ALTER TABLE sessions7 DROP CONSTRAINT email_nn;

-- step: VACUUM FULL {t};
VACUUM FULL orders27;

-- step: ALTER TABLE {t} ADD CONSTRAINT {t}_{c}_f
ALTER TABLE tickets77 ADD CONSTRAINT tickets77_ref_fk FOREIGN KEY (ref) REFERENCES parents (id);
