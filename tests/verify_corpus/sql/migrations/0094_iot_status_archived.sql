-- sqlmig: no-transaction
-- A new enum value (ALTER TYPE ... ADD VALUE).
ALTER TYPE iot.reading_status ADD VALUE 'archived';
