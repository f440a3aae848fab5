-- Drop the materialized view.
DROP MATERIALIZED VIEW blog.daily_totals;
