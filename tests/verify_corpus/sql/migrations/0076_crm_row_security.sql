-- Tenants see their own rows (policies are added by the app's role setup).
ALTER TABLE crm.deals ENABLE ROW LEVEL SECURITY;
