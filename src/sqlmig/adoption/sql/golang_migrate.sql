-- golang-migrate's ledger: one row, the current version, and whether the
-- migration to it failed half-way (dirty).
SELECT version, dirty FROM schema_migrations
