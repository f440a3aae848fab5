-- Drop the generated column.
ALTER TABLE hr.leaves DROP COLUMN gross;
