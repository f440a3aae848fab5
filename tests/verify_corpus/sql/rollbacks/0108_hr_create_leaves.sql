-- Drop the table.
DROP TABLE hr.leaves;
