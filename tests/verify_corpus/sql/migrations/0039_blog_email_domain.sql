-- A validated email type.
CREATE DOMAIN blog.email AS text CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
ALTER TABLE blog.authors ADD COLUMN billing_email blog.email;
