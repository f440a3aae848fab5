-- Remove the comments.
COMMENT ON COLUMN iot.devices.email IS NULL;
COMMENT ON COLUMN iot.readings.amount IS NULL;
COMMENT ON TABLE iot.readings IS NULL;
