-- Drop the view.
DROP VIEW hr.active_leaves;
