-- Drop the log with its partitions.
DROP TABLE crm.events;
