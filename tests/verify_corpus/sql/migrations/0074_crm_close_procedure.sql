-- Close stale deals in one call.
CREATE PROCEDURE crm.close_stale(p_days int)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE crm.deals SET status = 'closed'
     WHERE status = 'draft' AND created_at < now() - make_interval(days => p_days);
END
$$;
