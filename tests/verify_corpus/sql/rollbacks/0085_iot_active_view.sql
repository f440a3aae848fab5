-- Drop the view.
DROP VIEW iot.active_readings;
