-- Dropping the owning column drops the sequence too.
ALTER TABLE blog.posts DROP COLUMN invoice_no;
