-- The database a backup is made from or restored into (backup/provenance.py):
-- its name, its OID, and whether this role may read the server's system
-- identifier. pg_control_system() (PostgreSQL 9.6+) is executable by PUBLIC
-- unless a DBA revoked it; to_regprocedure() is NULL where it does not exist.
SELECT current_database(),
       d.oid::bigint,
       coalesce(has_function_privilege(to_regprocedure('pg_catalog.pg_control_system()'),
                                       'EXECUTE'), false)
  FROM pg_catalog.pg_database d
 WHERE d.datname = current_database()
