-- Enum values cannot be dropped: recreate the type without it.
ALTER TABLE blog.posts ALTER COLUMN status DROP DEFAULT;
ALTER TYPE blog.post_status RENAME TO post_status_old;
CREATE TYPE blog.post_status AS ENUM ('draft', 'active', 'closed');
DROP VIEW blog.active_posts;
ALTER TABLE blog.posts ALTER COLUMN status TYPE blog.post_status
    USING (CASE WHEN status::text = 'archived' THEN 'closed' ELSE status::text END)::blog.post_status;
ALTER TABLE blog.posts ALTER COLUMN status SET DEFAULT 'draft';
CREATE VIEW blog.active_posts AS
SELECT x.id, x.amount, c.name AS author_name
  FROM blog.posts x JOIN blog.authors c ON c.id = x.author_id
 WHERE x.status = 'active';
DROP TYPE blog.post_status_old;
