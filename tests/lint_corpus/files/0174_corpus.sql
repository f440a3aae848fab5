-- expect: cluster, create-without-if-not-exists
SET LOCAL lock_timeout = '5s';

-- step: CREATE SCHEMA {t}_s;
CREATE SCHEMA events65_s;

-- step: CLUSTER {t} USING {i};
CLUSTER tickets35 USING tickets35_owner_id_idx753;
