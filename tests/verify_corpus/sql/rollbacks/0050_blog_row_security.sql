-- Back to no row security.
ALTER TABLE blog.posts DISABLE ROW LEVEL SECURITY;
