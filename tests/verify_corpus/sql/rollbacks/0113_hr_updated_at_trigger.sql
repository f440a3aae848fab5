-- Drop trigger, function and column.
DROP TRIGGER leaves_touch ON hr.leaves;
DROP FUNCTION hr.touch();
ALTER TABLE hr.leaves DROP COLUMN updated_at;
