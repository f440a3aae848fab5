-- Drop the generated column.
ALTER TABLE crm.deals DROP COLUMN gross;
