-- Drop the materialized view.
DROP MATERIALIZED VIEW iot.daily_totals;
