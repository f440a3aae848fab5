-- Tenants see their own rows (policies are added by the app's role setup).
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
