-- 0008_drop_users_phone: removes the legacy users.phone column (GDPR data
-- minimisation: the product never used it), following the
-- DATA-PRESERVING ROLLBACK convention of this repository:
--   * a migration that drops or rewrites a column first copies what it
--     removes into the schema sqlmig_backup, in a table named
--     <table>_<version> (here sqlmig_backup.users_0008: id + phone of every
--     row that had a phone), then drops the column;
--   * its rollback re-creates the column exactly as before (same position as
--     the last column, type, constraint, comment), restores the data from the
--     backup table and drops the backup table;
--   * sqlmig_backup is created only if it does not exist yet; whether this
--     migration created it is recorded in the backup table's comment, and the
--     rollback drops the schema only in that case and only if it is empty,
--     so the rollback returns the database exactly to its previous state.
-- Purge the backup (DROP TABLE sqlmig_backup.users_0008) once the change is
-- final; after that this migration can no longer be rolled back with data.

SET LOCAL lock_timeout = '5s';

DO $$
DECLARE
    v_created_schema boolean := false;
BEGIN
    IF to_regnamespace('sqlmig_backup') IS NULL THEN
        CREATE SCHEMA sqlmig_backup;
        COMMENT ON SCHEMA sqlmig_backup IS 'Data removed by migrations, kept so that their rollbacks can restore it (table <table>_<version>).';
        v_created_schema := true;
    END IF;

    CREATE TABLE sqlmig_backup.users_0008 AS
        SELECT id, phone FROM users WHERE phone IS NOT NULL;
    ALTER TABLE sqlmig_backup.users_0008 ADD PRIMARY KEY (id);

    EXECUTE format('COMMENT ON TABLE sqlmig_backup.users_0008 IS %L',
                   'Backup of users.phone dropped by migration 0008, restored by its rollback. schema_created_by_0008='
                   || v_created_schema::text);
    COMMENT ON COLUMN sqlmig_backup.users_0008.id IS 'users.id of the row the phone belonged to.';
    COMMENT ON COLUMN sqlmig_backup.users_0008.phone IS 'The removed users.phone value.';
END
$$;

ALTER TABLE users DROP COLUMN phone;
