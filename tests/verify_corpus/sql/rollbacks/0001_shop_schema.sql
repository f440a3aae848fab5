-- Drop the extension and the schema.
DROP EXTENSION citext;
DROP SCHEMA shop;
