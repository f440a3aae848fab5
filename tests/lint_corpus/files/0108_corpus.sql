-- expect: concurrently-in-transaction
SET LOCAL lock_timeout = '5s';

-- step: CREATE INDEX CONCURRENTLY IF NOT EXISTS 
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices96_kind_idx488 ON invoices96 (kind);
