-- Rename back.
ALTER TABLE iot.devices RENAME COLUMN display_name TO name;
