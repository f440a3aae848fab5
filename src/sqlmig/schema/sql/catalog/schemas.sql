SELECT n.nspname AS name,
       d.description AS comment,
       CASE WHEN %(privileges)s THEN pg_get_userbyid(ns.nspowner) END AS owner,
       CASE WHEN %(privileges)s
            THEN array(SELECT a FROM unnest(ns.nspacl::text[]) a ORDER BY a COLLATE "C") END AS acl
  FROM scope_nsp n
  JOIN pg_namespace ns ON ns.oid = n.oid
  LEFT JOIN pg_description d
         ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
 ORDER BY n.nspname COLLATE "C"
