-- An amount with its currency, and a function returning it.
CREATE TYPE hr.money_amount AS (amount numeric(12,2), currency char(3));
CREATE FUNCTION hr.leave_money(p_id bigint) RETURNS hr.money_amount
LANGUAGE sql STABLE AS $$ SELECT ROW(amount, 'EUR')::hr.money_amount FROM hr.leaves WHERE id = p_id $$;
