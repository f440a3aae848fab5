-- Drop the table.
DROP TABLE iot.readings;
