-- dbmate's ledger: one row per applied version.
SELECT version::text FROM schema_migrations ORDER BY version
