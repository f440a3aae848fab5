-- Drop the table.
DROP TABLE blog.posts;
