-- Drop the constraint.
ALTER TABLE shop.customers DROP CONSTRAINT customers_email_not_empty;
