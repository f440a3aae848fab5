-- Document the columns.
COMMENT ON COLUMN crm.accounts.email IS 'Login and contact address.';
COMMENT ON COLUMN crm.deals.amount IS 'Net amount.';
COMMENT ON TABLE crm.deals IS 'What accounts own.';
