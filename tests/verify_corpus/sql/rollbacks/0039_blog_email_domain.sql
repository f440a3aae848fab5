-- Drop column and domain.
ALTER TABLE blog.authors DROP COLUMN billing_email;
DROP DOMAIN blog.email;
