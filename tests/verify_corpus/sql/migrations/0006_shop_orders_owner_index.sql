-- sqlmig: no-transaction
-- Build the index without blocking writes.
CREATE INDEX CONCURRENTLY orders_customer_idx ON shop.orders (customer_id, created_at DESC);
