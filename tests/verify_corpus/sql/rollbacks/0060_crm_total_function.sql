-- Drop the function.
DROP FUNCTION crm.account_total(bigint);
