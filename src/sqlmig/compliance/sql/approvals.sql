-- sqlmig compliance: who requested and who approved each approval request
-- (read directly: looking must not mark stale requests expired).
SELECT id, requested_by, decided_by, state FROM {} ORDER BY id;
