-- A validated email type.
CREATE DOMAIN hr.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
ALTER TABLE hr.employees ADD COLUMN billing_email hr.email;
