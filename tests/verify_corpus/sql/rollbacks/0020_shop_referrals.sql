-- Drop index, key and column.
DROP INDEX shop.customers_referred_by_idx;
ALTER TABLE shop.customers DROP CONSTRAINT customers_referred_by_fk;
ALTER TABLE shop.customers DROP COLUMN referred_by;
