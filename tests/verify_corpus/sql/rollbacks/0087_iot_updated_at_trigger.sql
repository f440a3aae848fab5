-- Drop trigger, function and column.
DROP TRIGGER readings_touch ON iot.readings;
DROP FUNCTION iot.touch();
ALTER TABLE iot.readings DROP COLUMN updated_at;
