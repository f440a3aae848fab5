-- Drop function and type.
DROP FUNCTION iot.reading_money(bigint);
DROP TYPE iot.money_amount;
