-- Drop column and domain.
ALTER TABLE hr.employees DROP COLUMN billing_email;
DROP DOMAIN hr.email;
