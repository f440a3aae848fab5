-- Total amount of one employee.
CREATE FUNCTION hr.employee_total(p_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(amount), 0) FROM hr.leaves WHERE employee_id = p_id
$$;
COMMENT ON FUNCTION hr.employee_total(bigint) IS 'Sum of amounts.';
