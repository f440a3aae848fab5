-- sqlmig: no-transaction
-- A new enum value (ALTER TYPE ... ADD VALUE).
ALTER TYPE blog.post_status ADD VALUE 'archived';
