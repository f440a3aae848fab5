-- Drop the extension and the schema.
DROP EXTENSION hstore;
DROP SCHEMA blog;
