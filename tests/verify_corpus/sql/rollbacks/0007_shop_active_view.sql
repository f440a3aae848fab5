-- Drop the view.
DROP VIEW shop.active_orders;
