-- Drop trigger, function and column.
DROP TRIGGER orders_touch ON shop.orders;
DROP FUNCTION shop.touch();
ALTER TABLE shop.orders DROP COLUMN updated_at;
