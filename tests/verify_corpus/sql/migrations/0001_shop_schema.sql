-- shop: a schema of its own and the citext extension.
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'SHOP domain';
CREATE EXTENSION IF NOT EXISTS citext SCHEMA shop;
