-- Drop the column.
ALTER TABLE crm.deals DROP COLUMN note;
