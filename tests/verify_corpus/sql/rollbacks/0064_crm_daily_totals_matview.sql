-- Drop the materialized view.
DROP MATERIALIZED VIEW crm.daily_totals;
