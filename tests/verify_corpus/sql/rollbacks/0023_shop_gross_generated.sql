-- Drop the generated column.
ALTER TABLE shop.orders DROP COLUMN gross;
