-- Document the columns.
COMMENT ON COLUMN hr.employees.email IS 'Login and contact address.';
COMMENT ON COLUMN hr.leaves.amount IS 'Net amount.';
COMMENT ON TABLE hr.leaves IS 'What employees own.';
