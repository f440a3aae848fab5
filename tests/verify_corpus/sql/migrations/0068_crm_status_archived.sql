-- sqlmig: no-transaction
-- A new enum value (ALTER TYPE ... ADD VALUE).
ALTER TYPE crm.deal_status ADD VALUE 'archived';
