-- Back to no row security.
ALTER TABLE shop.orders DISABLE ROW LEVEL SECURITY;
