-- Document the columns.
COMMENT ON COLUMN iot.devices.email IS 'Login and contact address.';
COMMENT ON COLUMN iot.readings.amount IS 'Net amount.';
COMMENT ON TABLE iot.readings IS 'What devices own.';
