-- Drop function and type.
DROP FUNCTION shop.order_money(bigint);
DROP TYPE shop.money_amount;
