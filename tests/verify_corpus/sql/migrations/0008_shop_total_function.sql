-- Total amount of one customer.
CREATE FUNCTION shop.customer_total(p_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0) FROM shop.orders WHERE customer_id = p_id
$$;
COMMENT ON FUNCTION shop.customer_total(bigint) IS 'Sum of amounts.';
