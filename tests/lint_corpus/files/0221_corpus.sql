-- expect: cluster
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER invoices56 USING invoices56_amount_idx884;
