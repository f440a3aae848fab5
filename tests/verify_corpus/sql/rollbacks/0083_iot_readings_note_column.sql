-- Drop the column.
ALTER TABLE iot.readings DROP COLUMN note;
