-- Drop column and domain.
ALTER TABLE shop.customers DROP COLUMN billing_email;
DROP DOMAIN shop.email;
