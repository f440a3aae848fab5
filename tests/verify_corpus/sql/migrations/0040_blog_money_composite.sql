-- An amount with its currency, and a function returning it.
CREATE TYPE blog.money_amount AS (amount numeric(12,2), currency char(3));
CREATE FUNCTION blog.post_money(p_id bigint) RETURNS blog.money_amount
LANGUAGE sql STABLE AS $$ SELECT ROW(amount, 'EUR')::blog.money_amount FROM blog.posts WHERE id = p_id $$;
