-- crm: a schema of its own and the pg_trgm extension.
CREATE SCHEMA crm;
COMMENT ON SCHEMA crm IS 'CRM domain';
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA crm;
