-- The cached templates (published and being built) on a scratch server, newest
-- first: a database's oid grows with each CREATE DATABASE and a rename keeps it.
SELECT datname::text, datname LIKE %(published)s AS published
  FROM pg_database
 WHERE datname LIKE %(published)s OR datname LIKE %(building)s
 ORDER BY oid DESC
