-- Drop the generated column.
ALTER TABLE iot.readings DROP COLUMN gross;
