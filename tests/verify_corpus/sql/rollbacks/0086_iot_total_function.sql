-- Drop the function.
DROP FUNCTION iot.device_total(bigint);
