-- sqlmig: no-transaction
-- Drop it without blocking writes.
DROP INDEX CONCURRENTLY hr.leaves_employee_idx;
