-- Invoice numbers from a sequence of their own.
CREATE SEQUENCE blog.invoice_no START 1000 INCREMENT 1 CACHE 1;
ALTER TABLE blog.posts ADD COLUMN invoice_no bigint UNIQUE DEFAULT nextval('blog.invoice_no');
ALTER SEQUENCE blog.invoice_no OWNED BY blog.posts.invoice_no;
