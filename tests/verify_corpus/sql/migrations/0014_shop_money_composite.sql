-- An amount with its currency, and a function returning it.
CREATE TYPE shop.money_amount AS (amount numeric(12,2), currency char(3));
CREATE FUNCTION shop.order_money(p_id bigint) RETURNS shop.money_amount
LANGUAGE sql STABLE AS $$ SELECT ROW(amount, 'EUR')::shop.money_amount FROM shop.orders WHERE id = p_id $$;
