-- Tenants see their own rows (policies are added by the app's role setup).
ALTER TABLE hr.leaves ENABLE ROW LEVEL SECURITY;
