-- Back to no row security.
ALTER TABLE iot.readings DISABLE ROW LEVEL SECURITY;
