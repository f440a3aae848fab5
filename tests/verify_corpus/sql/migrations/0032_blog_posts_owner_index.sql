-- sqlmig: no-transaction
-- Build the index without blocking writes.
CREATE INDEX CONCURRENTLY posts_author_idx ON blog.posts (author_id, created_at DESC);
