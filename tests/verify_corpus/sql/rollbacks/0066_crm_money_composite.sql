-- Drop function and type.
DROP FUNCTION crm.deal_money(bigint);
DROP TYPE crm.money_amount;
