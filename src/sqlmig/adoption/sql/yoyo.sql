-- yoyo's ledger: one row per applied migration, by its id (the file name).
SELECT migration_id, migration_hash, applied_at_utc FROM _yoyo_migration ORDER BY applied_at_utc
