-- Drop the column.
ALTER TABLE blog.posts DROP COLUMN note;
