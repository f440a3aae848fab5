-- Larger amounts (the views depending on the column are rebuilt).
DROP VIEW shop.active_orders;
DROP MATERIALIZED VIEW shop.daily_totals;
ALTER TABLE shop.orders ALTER COLUMN amount TYPE numeric(14,2);
CREATE VIEW shop.active_orders AS
SELECT x.id, x.amount, c.display_name AS customer_name
  FROM shop.orders x JOIN shop.customers c ON c.id = x.customer_id
 WHERE x.status = 'active';
CREATE MATERIALIZED VIEW shop.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM shop.orders GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON shop.daily_totals (day);
