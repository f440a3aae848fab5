-- Drop the procedure.
DROP PROCEDURE shop.close_stale(int);
