-- An amount with its currency, and a function returning it.
CREATE TYPE iot.money_amount AS (amount numeric(12,2), currency char(3));
CREATE FUNCTION iot.reading_money(p_id bigint) RETURNS iot.money_amount
LANGUAGE sql STABLE AS $$ SELECT ROW(amount, 'EUR')::iot.money_amount FROM iot.readings WHERE id = p_id $$;
