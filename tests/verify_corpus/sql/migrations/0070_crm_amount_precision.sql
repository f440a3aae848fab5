-- Larger amounts (the views depending on the column are rebuilt).
DROP VIEW crm.active_deals;
DROP MATERIALIZED VIEW crm.daily_totals;
ALTER TABLE crm.deals ALTER COLUMN amount TYPE numeric(14,2);
CREATE VIEW crm.active_deals AS
SELECT x.id, x.amount, c.display_name AS account_name
  FROM crm.deals x JOIN crm.accounts c ON c.id = x.account_id
 WHERE x.status = 'active';
CREATE MATERIALIZED VIEW crm.daily_totals AS
SELECT date_trunc('day', created_at) AS day, count(*) AS n, sum(amount) AS total
  FROM crm.deals GROUP BY 1
WITH NO DATA;
CREATE UNIQUE INDEX daily_totals_day_key ON crm.daily_totals (day);
