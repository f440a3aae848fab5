-- Total amount of one author.
CREATE FUNCTION blog.author_total(p_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0) FROM blog.posts WHERE author_id = p_id
$$;
COMMENT ON FUNCTION blog.author_total(bigint) IS 'Sum of amounts.';
