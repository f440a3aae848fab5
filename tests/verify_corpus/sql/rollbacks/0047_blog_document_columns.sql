-- Remove the comments.
COMMENT ON COLUMN blog.authors.email IS NULL;
COMMENT ON COLUMN blog.posts.amount IS NULL;
COMMENT ON TABLE blog.posts IS NULL;
