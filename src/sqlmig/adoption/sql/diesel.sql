-- diesel's ledger: one row per applied version.
SELECT version::text, run_on FROM __diesel_schema_migrations ORDER BY version
