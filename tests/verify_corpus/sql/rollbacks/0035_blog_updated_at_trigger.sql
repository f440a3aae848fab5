-- Drop trigger, function and column.
DROP TRIGGER posts_touch ON blog.posts;
DROP FUNCTION blog.touch();
ALTER TABLE blog.posts DROP COLUMN updated_at;
