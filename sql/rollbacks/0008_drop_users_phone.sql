-- 0008_drop_users_phone (rollback): data-preserving rollback (see the header
-- of migrations/0008_drop_users_phone.sql for the convention).
-- Re-creates users.phone with its original definition (it was the last
-- column, so the column order is unchanged), restores the values from
-- sqlmig_backup.users_0008, drops the backup table and drops the schema
-- sqlmig_backup only if 0008 created it and nothing else is stored in it.
-- Fails if the backup table is missing, rather than silently losing data.

SET LOCAL lock_timeout = '5s';

ALTER TABLE users ADD COLUMN phone text CONSTRAINT users_phone_format CHECK (phone ~ '^\+[1-9][0-9]{6,14}$');
COMMENT ON COLUMN users.phone IS 'Legacy optional phone number in E.164 format; removed in migration 0008 (data minimisation).';

UPDATE users u
   SET phone = b.phone
  FROM sqlmig_backup.users_0008 b
 WHERE b.id = u.id;

DO $$
DECLARE
    v_drop_schema boolean;
BEGIN
    v_drop_schema := coalesce(obj_description('sqlmig_backup.users_0008'::regclass, 'pg_class')
                              LIKE '%schema_created_by_0008=true%', false);
    DROP TABLE sqlmig_backup.users_0008;
    IF v_drop_schema
       AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'sqlmig_backup'::regnamespace)
       AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = 'sqlmig_backup'::regnamespace)
       AND NOT EXISTS (SELECT 1 FROM pg_type WHERE typnamespace = 'sqlmig_backup'::regnamespace) THEN
        DROP SCHEMA sqlmig_backup;
    END IF;
END
$$;
