-- sqlmig: no-transaction
-- 0007_sessions_completed_index (rollback): drops the partial index built by
-- 0007, concurrently so that user_sessions stays writable; therefore this
-- file also runs without a transaction. The index comment goes with it.

DROP INDEX CONCURRENTLY IF EXISTS user_sessions_exam_completed_idx;
