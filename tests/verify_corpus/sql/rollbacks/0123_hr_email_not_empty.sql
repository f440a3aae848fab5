-- Drop the constraint.
ALTER TABLE hr.employees DROP CONSTRAINT employees_email_not_empty;
