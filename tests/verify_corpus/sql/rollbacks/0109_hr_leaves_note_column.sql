-- Drop the column.
ALTER TABLE hr.leaves DROP COLUMN note;
