-- Invoice numbers from a sequence of their own.
CREATE SEQUENCE crm.invoice_no START 1000 INCREMENT 1 CACHE 1;
ALTER TABLE crm.deals ADD COLUMN invoice_no bigint UNIQUE DEFAULT nextval('crm.invoice_no');
ALTER SEQUENCE crm.invoice_no OWNED BY crm.deals.invoice_no;
