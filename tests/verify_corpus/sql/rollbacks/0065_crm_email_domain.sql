-- Drop column and domain.
ALTER TABLE crm.accounts DROP COLUMN billing_email;
DROP DOMAIN crm.email;
