-- A validated email type.
CREATE DOMAIN iot.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
ALTER TABLE iot.devices ADD COLUMN billing_email iot.email;
