-- Tenants see their own rows (policies are added by the app's role setup).
ALTER TABLE iot.readings ENABLE ROW LEVEL SECURITY;
