-- Drop the constraint.
ALTER TABLE crm.accounts DROP CONSTRAINT accounts_email_not_empty;
