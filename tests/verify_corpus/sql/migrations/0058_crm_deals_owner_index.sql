-- sqlmig: no-transaction
-- Build the index without blocking writes.
CREATE INDEX CONCURRENTLY deals_account_idx ON crm.deals (account_id, created_at DESC);
