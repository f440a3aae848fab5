-- Drop the constraint.
ALTER TABLE iot.devices DROP CONSTRAINT devices_email_not_empty;
