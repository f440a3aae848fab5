-- Drop index, key and column.
DROP INDEX iot.devices_referred_by_idx;
ALTER TABLE iot.devices DROP CONSTRAINT devices_referred_by_fk;
ALTER TABLE iot.devices DROP COLUMN referred_by;
