-- Drop the extension and the schema.
DROP EXTENSION pg_trgm;
DROP SCHEMA crm;
