-- Drop the materialized view.
DROP MATERIALIZED VIEW hr.daily_totals;
