-- sqlmig: no-transaction
-- Drop it without blocking writes.
DROP INDEX CONCURRENTLY shop.orders_customer_idx;
