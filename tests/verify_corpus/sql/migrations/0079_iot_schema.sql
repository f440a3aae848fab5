-- iot: a schema of its own and the ltree extension.
CREATE SCHEMA iot;
COMMENT ON SCHEMA iot IS 'IOT domain';
CREATE EXTENSION IF NOT EXISTS ltree SCHEMA iot;
