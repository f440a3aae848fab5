-- expect: cluster, truncate
SET LOCAL lock_timeout = '5s';

-- step: TRUNCATE {t};
TRUNCATE tickets81;

-- step: CLUSTER {t} USING {i};
CLUSTER alerts17 USING alerts17_kind_idx254;

-- step: DO $$
DO $$
BEGIN
    EXECUTE 'ALTER TABLE reviews4 DROP COLUMN amount';
END
$$;
