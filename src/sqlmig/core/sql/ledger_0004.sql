-- sqlmig's own ledger, version 4: the lock row of `lock: table`, for
-- PostgreSQL-compatible engines without advisory locks. Runs with
-- search_path set to the ledger schema. Idempotent: with `lock: table` the
-- runner also executes this file before taking the lock, because the lock is
-- needed before the ledger may be created or upgraded.

CREATE TABLE IF NOT EXISTS sqlmig_lock (
    id boolean PRIMARY KEY DEFAULT true CHECK (id)
);
COMMENT ON TABLE sqlmig_lock IS
    'The migration lock of `lock: table` (sqlmig ledger): a run holds SELECT ... FOR UPDATE '
    'on the one row inside a transaction kept open until it ends; the server releases it '
    'when that connection drops.';

INSERT INTO sqlmig_lock (id) VALUES (true) ON CONFLICT (id) DO NOTHING;
