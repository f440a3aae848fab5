-- Drop function and type.
DROP FUNCTION hr.leave_money(bigint);
DROP TYPE hr.money_amount;
