-- Drop column and domain.
ALTER TABLE iot.devices DROP COLUMN billing_email;
DROP DOMAIN iot.email;
