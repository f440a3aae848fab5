-- sqlmig: irreversible the legacy import table is dropped with its rows; restore from backup
-- The one-off import table is no longer needed.
CREATE TABLE shop.legacy_import (line text);
DROP TABLE shop.legacy_import;
