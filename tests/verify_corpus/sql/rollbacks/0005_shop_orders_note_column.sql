-- Drop the column.
ALTER TABLE shop.orders DROP COLUMN note;
