-- Daily totals, refreshed by a job.
CREATE MATERIALIZED VIEW blog.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM blog.posts GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON blog.daily_totals (day);
