-- Drop function and type.
DROP FUNCTION blog.post_money(bigint);
DROP TYPE blog.money_amount;
