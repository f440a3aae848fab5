-- expect: delete-without-where
SET LOCAL lock_timeout = '5s';

-- step: ALTER TABLE {t} ADD CONSTRAINT {c}_nn CH
ALTER TABLE alerts97 ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE alerts97 VALIDATE CONSTRAINT email_nn;
ALTER TABLE alerts97 ALTER COLUMN email SET NOT NULL;
ALTER TABLE alerts97 DROP CONSTRAINT email_nn;

-- step: DELETE FROM {t};
DELETE FROM devices71;
