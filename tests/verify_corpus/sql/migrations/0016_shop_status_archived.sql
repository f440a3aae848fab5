-- sqlmig: no-transaction
-- A new enum value (ALTER TYPE ... ADD VALUE).
ALTER TYPE shop.order_status ADD VALUE 'archived';
