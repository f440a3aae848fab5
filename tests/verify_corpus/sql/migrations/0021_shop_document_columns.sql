-- Document the columns.
COMMENT ON COLUMN shop.customers.email IS 'Login and contact address.';
COMMENT ON COLUMN shop.orders.amount IS 'Net amount.';
COMMENT ON TABLE shop.orders IS 'What customers own.';
