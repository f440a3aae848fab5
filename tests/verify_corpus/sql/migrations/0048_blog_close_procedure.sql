-- Close stale posts in one call.
CREATE PROCEDURE blog.close_stale(p_days int)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE blog.posts SET status = 'closed'
     WHERE status = 'draft' AND created_at < now() - make_interval(days => p_days);
END
$$;
