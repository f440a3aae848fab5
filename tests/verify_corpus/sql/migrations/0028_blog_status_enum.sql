-- Lifecycle of a post.
CREATE TYPE blog.post_status AS ENUM ('draft', 'active', 'closed');
