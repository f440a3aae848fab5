-- The cluster's identity, the same from every database of the server
-- (pg_control_system() needs superuser or a grant: the caller treats an error
-- as "unknown").
SELECT system_identifier::text FROM pg_control_system()
