-- Drop the constraint.
ALTER TABLE blog.authors DROP CONSTRAINT authors_email_not_empty;
