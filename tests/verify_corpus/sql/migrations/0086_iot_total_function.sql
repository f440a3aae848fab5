-- Total amount of one device.
CREATE FUNCTION iot.device_total(p_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0) FROM iot.readings WHERE device_id = p_id
$$;
COMMENT ON FUNCTION iot.device_total(bigint) IS 'Sum of amounts.';
