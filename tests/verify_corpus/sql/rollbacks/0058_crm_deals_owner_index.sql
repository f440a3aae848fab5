-- sqlmig: no-transaction
-- Drop it without blocking writes.
DROP INDEX CONCURRENTLY crm.deals_account_idx;
