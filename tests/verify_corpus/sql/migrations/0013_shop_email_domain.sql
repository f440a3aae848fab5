-- A validated email type.
CREATE DOMAIN shop.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
ALTER TABLE shop.customers ADD COLUMN billing_email shop.email;
