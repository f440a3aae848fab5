-- Tables, partitioned tables, foreign tables, views and materialized views.
-- A partitioned parent has no storage of its own: its size and row estimate
-- are summed from its partitions by the caller.
SELECT r.nspname AS schema,
       r.relname AS name,
       r.relkind AS kind,
       c.relpersistence AS persistence,
       c.relispartition AS is_partition,
       CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END AS partition_key,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, r.oid) END AS partition_bound,
       pn.nspname AS parent_schema,
       pc.relname AS parent_name,
       CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid, true) END AS definition,
       c.relrowsecurity AS row_security,
       array(SELECT o FROM unnest(c.reloptions) o ORDER BY o COLLATE "C") AS options,
       d.description AS comment,
       CASE WHEN %(privileges)s THEN pg_get_userbyid(c.relowner) END AS owner,
       CASE WHEN %(privileges)s
            THEN array(SELECT a FROM unnest(c.relacl::text[]) a ORDER BY a COLLATE "C") END AS acl,
       CASE WHEN %(stats)s AND r.relkind IN ('r', 'm') AND c.reltuples >= 0
            THEN c.reltuples::bigint END AS row_estimate,
       CASE WHEN %(stats)s AND r.relkind IN ('r', 'm', 'p')
            THEN pg_total_relation_size(r.oid) END AS size_bytes,
       CASE WHEN %(stats)s AND r.relkind IN ('r', 'm') THEN c.relpages::bigint END AS pages
  FROM scope_rel r
  JOIN pg_class c ON c.oid = r.oid
  LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = r.oid
  LEFT JOIN pg_class pc ON pc.oid = i.inhparent
  LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
  LEFT JOIN pg_description d
         ON d.objoid = r.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
 ORDER BY r.nspname COLLATE "C", r.relname COLLATE "C"
