-- Daily totals, refreshed by a job.
CREATE MATERIALIZED VIEW shop.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM shop.orders GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON shop.daily_totals (day);
