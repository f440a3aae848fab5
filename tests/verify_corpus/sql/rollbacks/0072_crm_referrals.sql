-- Drop index, key and column.
DROP INDEX crm.accounts_referred_by_idx;
ALTER TABLE crm.accounts DROP CONSTRAINT accounts_referred_by_fk;
ALTER TABLE crm.accounts DROP COLUMN referred_by;
