-- Drop the log with its partitions.
DROP TABLE iot.events;
