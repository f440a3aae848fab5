-- Drop the procedure.
DROP PROCEDURE iot.close_stale(int);
