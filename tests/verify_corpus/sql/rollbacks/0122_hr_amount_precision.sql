-- Back to numeric(12,2).
DROP VIEW hr.active_leaves;
DROP MATERIALIZED VIEW hr.daily_totals;
ALTER TABLE hr.leaves ALTER COLUMN amount TYPE numeric(12,2);
CREATE VIEW hr.active_leaves AS
SELECT x.id, x.amount, c.display_name AS employee_name
  FROM hr.leaves x JOIN hr.employees c ON c.id = x.employee_id
 WHERE x.status = 'active';
CREATE MATERIALIZED VIEW hr.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM hr.leaves GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON hr.daily_totals (day);
