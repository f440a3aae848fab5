-- Dropping the owning column drops the sequence too.
ALTER TABLE hr.leaves DROP COLUMN invoice_no;
