-- Document the columns.
COMMENT ON COLUMN blog.authors.email IS 'Login and contact address.';
COMMENT ON COLUMN blog.posts.amount IS 'Net amount.';
COMMENT ON TABLE blog.posts IS 'What authors own.';
