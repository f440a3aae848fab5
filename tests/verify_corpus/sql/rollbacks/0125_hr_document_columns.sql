-- Remove the comments.
COMMENT ON COLUMN hr.employees.email IS NULL;
COMMENT ON COLUMN hr.leaves.amount IS NULL;
COMMENT ON TABLE hr.leaves IS NULL;
