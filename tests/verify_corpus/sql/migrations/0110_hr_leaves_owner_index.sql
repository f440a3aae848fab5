-- sqlmig: no-transaction
-- Build the index without blocking writes.
CREATE INDEX CONCURRENTLY leaves_employee_idx ON hr.leaves (employee_id, created_at DESC);
