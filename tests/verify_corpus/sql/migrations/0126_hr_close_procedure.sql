-- Close stale leaves in one call.
CREATE PROCEDURE hr.close_stale(p_days int)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE hr.leaves SET status = 'closed'
     WHERE status = 'draft' AND created_at < now() - make_interval(days => p_days);
END
$$;
