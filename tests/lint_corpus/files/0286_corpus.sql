-- expect: cluster
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER accounts53 USING accounts53_ref_idx857;
