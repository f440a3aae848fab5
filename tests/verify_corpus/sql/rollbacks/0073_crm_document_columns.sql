-- Remove the comments.
COMMENT ON COLUMN crm.accounts.email IS NULL;
COMMENT ON COLUMN crm.deals.amount IS NULL;
COMMENT ON TABLE crm.deals IS NULL;
