-- Close stale readings in one call.
CREATE PROCEDURE iot.close_stale(p_days int)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE iot.readings SET status = 'closed'
     WHERE status = 'draft' AND created_at < now() - make_interval(days => p_days);
END
$$;
