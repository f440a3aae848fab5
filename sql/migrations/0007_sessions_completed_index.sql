-- sqlmig: no-transaction
-- 0007_sessions_completed_index: index for per-exam results of completed
-- attempts (exam statistics pages and the completed_sessions_have_result
-- check), built with CREATE INDEX CONCURRENTLY so that user_sessions keeps
-- accepting writes while it is built. CONCURRENTLY cannot run inside a
-- transaction block, hence the no-transaction directive: sqlmig splits this
-- file into statements and runs each in autocommit.
-- If the build fails it leaves an INVALID index behind; drop it with the
-- rollback file (DROP INDEX CONCURRENTLY IF EXISTS) and run this again.

CREATE INDEX CONCURRENTLY IF NOT EXISTS user_sessions_exam_completed_idx
    ON user_sessions (exam_id, completed_at)
    WHERE status = 'completed';

COMMENT ON INDEX user_sessions_exam_completed_idx IS 'Completed attempts per exam in completion order (partial index on status = completed).';
