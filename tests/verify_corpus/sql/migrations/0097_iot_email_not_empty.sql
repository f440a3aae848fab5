-- Added NOT VALID (no long lock), then validated.
ALTER TABLE iot.devices ADD CONSTRAINT devices_email_not_empty CHECK (email <> '') NOT VALID;
ALTER TABLE iot.devices VALIDATE CONSTRAINT devices_email_not_empty;
