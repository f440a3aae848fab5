-- sqlmig: no-transaction
-- Drop it without blocking writes.
DROP INDEX CONCURRENTLY blog.posts_author_idx;
