-- Enum values cannot be dropped: recreate the type without it.
ALTER TABLE shop.orders ALTER COLUMN status DROP DEFAULT;
ALTER TYPE shop.order_status RENAME TO order_status_old;
CREATE TYPE shop.order_status AS ENUM ('draft', 'active', 'closed');
DROP VIEW shop.active_orders;
ALTER TABLE shop.orders ALTER COLUMN status TYPE shop.order_status
    USING (CASE WHEN status::text = 'archived' THEN 'closed' ELSE status::text END)::shop.order_status;
ALTER TABLE shop.orders ALTER COLUMN status SET DEFAULT 'draft';
CREATE VIEW shop.active_orders AS
SELECT x.id, x.amount, c.name AS customer_name
  FROM shop.orders x JOIN shop.customers c ON c.id = x.customer_id
 WHERE x.status = 'active';
DROP TYPE shop.order_status_old;
