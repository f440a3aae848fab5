-- sqlmig: no-transaction
-- A new enum value (ALTER TYPE ... ADD VALUE).
ALTER TYPE hr.leave_status ADD VALUE 'archived';
