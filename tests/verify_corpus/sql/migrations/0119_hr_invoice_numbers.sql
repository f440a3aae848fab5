-- Invoice numbers from a sequence of their own.
CREATE SEQUENCE hr.invoice_no START 1000 INCREMENT 1 CACHE 1;
ALTER TABLE hr.leaves ADD COLUMN invoice_no bigint UNIQUE DEFAULT nextval('hr.invoice_no');
ALTER SEQUENCE hr.invoice_no OWNED BY hr.leaves.invoice_no;
