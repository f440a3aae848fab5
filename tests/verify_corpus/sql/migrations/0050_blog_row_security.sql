-- Tenants see their own rows (policies are added by the app's role setup).
ALTER TABLE blog.posts ENABLE ROW LEVEL SECURITY;
