-- Back to no row security.
ALTER TABLE crm.deals DISABLE ROW LEVEL SECURITY;
