-- Drop the table.
DROP TABLE shop.orders;
