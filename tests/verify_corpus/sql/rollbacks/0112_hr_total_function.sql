-- Drop the function.
DROP FUNCTION hr.employee_total(bigint);
