-- Drop the procedure.
DROP PROCEDURE hr.close_stale(int);
