-- position counts live columns only: a dropped column leaves a gap in attnum,
-- and two databases with the same columns in the same order must agree.
SELECT r.nspname AS schema,
       r.relname AS relation,
       a.attname AS name,
       row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS position,
       format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attgenerated AS generated_kind,
       a.attidentity AS identity,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       d.description AS comment
  FROM scope_rel r
  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  LEFT JOIN pg_description d
         ON d.objoid = r.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
 ORDER BY r.nspname COLLATE "C", r.relname COLLATE "C", a.attnum
