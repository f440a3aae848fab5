-- Remove the comments.
COMMENT ON COLUMN shop.customers.email IS NULL;
COMMENT ON COLUMN shop.orders.amount IS NULL;
COMMENT ON TABLE shop.orders IS NULL;
