-- Drop the log with its partitions.
DROP TABLE shop.events;
