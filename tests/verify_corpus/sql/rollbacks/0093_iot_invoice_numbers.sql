-- Dropping the owning column drops the sequence too.
ALTER TABLE iot.readings DROP COLUMN invoice_no;
