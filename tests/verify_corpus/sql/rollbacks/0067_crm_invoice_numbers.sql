-- Dropping the owning column drops the sequence too.
ALTER TABLE crm.deals DROP COLUMN invoice_no;
