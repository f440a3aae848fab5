-- 0004_partitions_and_triggers (rollback): removes the triggers and functions
-- of 0004 and folds every monthly partition back into its DEFAULT partition
-- (detach, copy rows into the parent, drop), so no logged data is lost and
-- the tables are left exactly as 0002/0003 created them.
-- Partitions created later by ensure_future_partitions() are folded too.

SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS exams_counts_truncate ON exams;
DROP TRIGGER IF EXISTS exams_counts_update ON exams;
DROP TRIGGER IF EXISTS exams_counts_delete ON exams;
DROP TRIGGER IF EXISTS exams_counts_insert ON exams;
DROP FUNCTION IF EXISTS exams_maintain_counts();
DROP TRIGGER IF EXISTS questions_counts_truncate ON questions;
DROP TRIGGER IF EXISTS questions_counts_update ON questions;
DROP TRIGGER IF EXISTS questions_counts_delete ON questions;
DROP TRIGGER IF EXISTS questions_counts_insert ON questions;
DROP FUNCTION IF EXISTS questions_maintain_counts();

DROP TRIGGER IF EXISTS comments_set_depth ON comments;
DROP FUNCTION IF EXISTS comments_set_depth();

DROP TRIGGER IF EXISTS data_retention_policies_set_updated_at ON data_retention_policies;
DROP TRIGGER IF EXISTS user_profiles_set_updated_at ON user_profiles;
DROP TRIGGER IF EXISTS comments_set_updated_at ON comments;
DROP TRIGGER IF EXISTS users_set_updated_at ON users;
DROP TRIGGER IF EXISTS questions_set_updated_at ON questions;
DROP TRIGGER IF EXISTS exams_set_updated_at ON exams;
DROP TRIGGER IF EXISTS subjects_set_updated_at ON subjects;
DROP FUNCTION IF EXISTS set_updated_at();

DO $$
DECLARE
    p record;
BEGIN
    FOR p IN
        SELECT i.inhparent::regclass AS parent, i.inhrelid::regclass AS part
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent IN ('performance_trends'::regclass, 'access_audit'::regclass, 'auth_logs'::regclass)
           AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
         ORDER BY 1, 2
    LOOP
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', p.parent, p.part);
        EXECUTE format('INSERT INTO %s SELECT * FROM %s', p.parent, p.part);
        EXECUTE format('DROP TABLE %s', p.part);
    END LOOP;
END
$$;

DROP FUNCTION IF EXISTS ensure_future_partitions(integer);
DROP FUNCTION IF EXISTS create_monthly_partitions(regclass, date, date);
