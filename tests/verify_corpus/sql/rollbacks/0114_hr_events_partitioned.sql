-- Drop the log with its partitions.
DROP TABLE hr.events;
