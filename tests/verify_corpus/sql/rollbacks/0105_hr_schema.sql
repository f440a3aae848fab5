-- Drop the extension and the schema.
DROP EXTENSION btree_gist;
DROP SCHEMA hr;
