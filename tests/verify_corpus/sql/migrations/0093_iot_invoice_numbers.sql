-- Invoice numbers from a sequence of their own.
CREATE SEQUENCE iot.invoice_no START 1000 INCREMENT 1 CACHE 1;
ALTER TABLE iot.readings ADD COLUMN invoice_no bigint UNIQUE DEFAULT nextval('iot.invoice_no');
ALTER SEQUENCE iot.invoice_no OWNED BY iot.readings.invoice_no;
