-- Larger amounts (the views depending on the column are rebuilt).
DROP VIEW iot.active_readings;
DROP MATERIALIZED VIEW iot.daily_totals;
ALTER TABLE iot.readings ALTER COLUMN amount TYPE numeric(14,2);
CREATE VIEW iot.active_readings AS
SELECT x.id, x.amount, c.display_name AS device_name
  FROM iot.readings x JOIN iot.devices c ON c.id = x.device_id
 WHERE x.status = 'active';
CREATE MATERIALIZED VIEW iot.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM iot.readings GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON iot.daily_totals (day);
