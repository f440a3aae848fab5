-- Drop the log with its partitions.
DROP TABLE blog.events;
