-- Drop index, key and column.
DROP INDEX hr.employees_referred_by_idx;
ALTER TABLE hr.employees DROP CONSTRAINT employees_referred_by_fk;
ALTER TABLE hr.employees DROP COLUMN referred_by;
