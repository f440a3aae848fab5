-- Drop the procedure.
DROP PROCEDURE crm.close_stale(int);
