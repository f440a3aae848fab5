-- hr: a schema of its own and the btree_gist extension.
CREATE SCHEMA hr;
COMMENT ON SCHEMA hr IS 'HR domain';
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA hr;
