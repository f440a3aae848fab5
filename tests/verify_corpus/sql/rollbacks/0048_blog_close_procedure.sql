-- Drop the procedure.
DROP PROCEDURE blog.close_stale(int);
