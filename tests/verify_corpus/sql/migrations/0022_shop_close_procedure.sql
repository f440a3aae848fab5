-- Close stale orders in one call.
CREATE PROCEDURE shop.close_stale(p_days int)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shop.orders SET status = 'closed'
     WHERE status = 'draft' AND created_at < now() - make_interval(days => p_days);
END
$$;
