-- What decides a replay on a scratch server besides the files (the key of a
-- cached template, sqlmig.schema.drift): the exact server version, the role
-- that replays (it owns what the files create), the default version of every
-- extension the server can install (what CREATE EXTENSION installs), and the
-- encoding and locale of template1, which every fresh scratch database copies.
SELECT current_setting('server_version_num')::int AS version_num,
       current_user::text AS replayer,
       ARRAY(SELECT name::text || ' ' || coalesce(default_version, '')
               FROM pg_available_extensions ORDER BY 1) AS extensions,
       (SELECT pg_encoding_to_char(encoding) || ' ' || datcollate::text || ' ' || datctype::text
          FROM pg_database WHERE datname = 'template1') AS template1
