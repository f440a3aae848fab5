-- An amount with its currency, and a function returning it.
CREATE TYPE crm.money_amount AS (amount numeric(12,2), currency char(3));
CREATE FUNCTION crm.deal_money(p_id bigint) RETURNS crm.money_amount
LANGUAGE sql STABLE AS $$ SELECT ROW(amount, 'EUR')::crm.money_amount FROM crm.deals WHERE id = p_id $$;
