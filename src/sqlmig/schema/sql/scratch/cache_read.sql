SELECT key, snapshot, digest FROM {table} WHERE privileges = %s
