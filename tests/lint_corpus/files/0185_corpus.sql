-- expect: cluster
SET LOCAL lock_timeout = '5s';

-- step: CLUSTER {t} USING {i};
CLUSTER users0 USING users0_kind_idx727;
