-- A validated email type.
CREATE DOMAIN crm.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
ALTER TABLE crm.accounts ADD COLUMN billing_email crm.email;
