INSERT INTO {table} (privileges, key, snapshot, digest) VALUES (%s, %s, %s, %s)
