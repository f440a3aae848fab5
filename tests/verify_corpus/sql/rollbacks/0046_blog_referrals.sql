-- Drop index, key and column.
DROP INDEX blog.authors_referred_by_idx;
ALTER TABLE blog.authors DROP CONSTRAINT authors_referred_by_fk;
ALTER TABLE blog.authors DROP COLUMN referred_by;
