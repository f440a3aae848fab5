-- Back to no row security.
ALTER TABLE hr.leaves DISABLE ROW LEVEL SECURITY;
