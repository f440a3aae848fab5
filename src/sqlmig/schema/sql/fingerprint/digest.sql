-- The digest of one catalog query's rows (sql/catalog/<query>.sql, spliced
-- in below): sha256 over the sha256 of each row's text, in digest order.
-- Hashing each row first keeps the digest a function of the set of rows
-- alone: neither the order the rows come in nor a newline inside a view or
-- function definition can make two different sets of rows hash alike.
-- (sha256, not md5: a server in FIPS mode refuses md5().)
(SELECT encode(sha256(coalesce(string_agg(h, ''::bytea ORDER BY h), ''::bytea)), 'hex')
   FROM (SELECT sha256(textsend(q::text)) AS h
           FROM ({query}
                ) q) r)
