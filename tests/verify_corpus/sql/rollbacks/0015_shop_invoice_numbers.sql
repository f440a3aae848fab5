-- Dropping the owning column drops the sequence too.
ALTER TABLE shop.orders DROP COLUMN invoice_no;
