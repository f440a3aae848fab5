-- Active orders with their customer.
CREATE VIEW shop.active_orders AS
SELECT x.id, x.amount, c.name AS customer_name
  FROM shop.orders x JOIN shop.customers c ON c.id = x.customer_id
 WHERE x.status = 'active';
