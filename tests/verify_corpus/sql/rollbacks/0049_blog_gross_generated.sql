-- Drop the generated column.
ALTER TABLE blog.posts DROP COLUMN gross;
