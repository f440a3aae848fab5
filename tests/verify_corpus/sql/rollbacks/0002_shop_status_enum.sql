-- Drop the enum.
DROP TYPE shop.order_status;
