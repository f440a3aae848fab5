-- Flyway's ledger, in the order Flyway installed the rows.
SELECT installed_rank, version, description, type, script, checksum, installed_by,
       installed_on, success
FROM flyway_schema_history
ORDER BY installed_rank
