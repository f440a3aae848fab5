-- Drop the extension and the schema.
DROP EXTENSION ltree;
DROP SCHEMA iot;
