-- sqlmig: irreversible the legacy import table is dropped with its rows; restore from backup
-- The one-off import table is no longer needed.
CREATE TABLE blog.legacy_import (line text);
DROP TABLE blog.legacy_import;
