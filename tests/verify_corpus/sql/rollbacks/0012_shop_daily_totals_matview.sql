-- Drop the materialized view.
DROP MATERIALIZED VIEW shop.daily_totals;
