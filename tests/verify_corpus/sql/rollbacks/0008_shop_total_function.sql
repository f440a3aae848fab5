-- Drop the function.
DROP FUNCTION shop.customer_total(bigint);
