-- sqlmig: description Every authentication session is either expired/revoked or valid (active user, sane lifetime)
-- sqlmig: tags security
-- sqlmig: timeout 30s
-- A live session (not revoked, not expired) must belong to an active user
-- and must not outlive the 30-day maximum session lifetime.
WITH live AS (
    SELECT s.id, s.user_id, s.created_at, s.expires_at, u.is_active
      FROM auth_sessions s
      LEFT JOIN users u ON u.id = s.user_id
     WHERE s.revoked_at IS NULL AND s.expires_at > now()
), problems AS (
    SELECT 'live auth_sessions belong to active users' AS name,
           'live sessions belong to locked or missing users' AS what,
           'UPDATE auth_sessions s SET revoked_at = now() FROM users u WHERE u.id = s.user_id AND NOT u.is_active AND s.revoked_at IS NULL AND s.expires_at > now()' AS fix,
           count(*) AS n, (array_agg(id ORDER BY id))[1:5] AS example_ids
      FROM live WHERE is_active IS NOT TRUE
    UNION ALL
    SELECT 'live auth_sessions lifetime at most 30 days',
           'live sessions expire more than 30 days after creation',
           'UPDATE auth_sessions SET expires_at = created_at + interval ''30 days'' WHERE revoked_at IS NULL AND expires_at > created_at + interval ''30 days''',
           count(*), (array_agg(id ORDER BY id))[1:5]
      FROM live WHERE expires_at > created_at + interval '30 days'
)
SELECT 'FAIL' AS status, name,
       format('%s %s (ids %s); fix: %s', n, what, array_to_string(example_ids, ', '), fix) AS detail,
       n AS affected_rows, example_ids
  FROM problems
 WHERE n > 0;
