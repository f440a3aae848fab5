-- blog: a schema of its own and the hstore extension.
CREATE SCHEMA blog;
COMMENT ON SCHEMA blog IS 'BLOG domain';
CREATE EXTENSION IF NOT EXISTS hstore SCHEMA blog;
