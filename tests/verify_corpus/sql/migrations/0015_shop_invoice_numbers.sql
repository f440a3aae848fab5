-- Invoice numbers from a sequence of their own.
CREATE SEQUENCE shop.invoice_no START 1000 INCREMENT 1 CACHE 1;
ALTER TABLE shop.orders ADD COLUMN invoice_no bigint UNIQUE DEFAULT nextval('shop.invoice_no');
ALTER SEQUENCE shop.invoice_no OWNED BY shop.orders.invoice_no;
