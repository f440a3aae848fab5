-- Total amount of one account.
CREATE FUNCTION crm.account_total(p_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0) FROM crm.deals WHERE account_id = p_id
$$;
COMMENT ON FUNCTION crm.account_total(bigint) IS 'Sum of amounts.';
