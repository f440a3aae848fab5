-- Daily totals, refreshed by a job.
CREATE MATERIALIZED VIEW iot.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM iot.readings GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON iot.daily_totals (day);
