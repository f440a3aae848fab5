-- Sqitch's registry: the changes deployed now (a revert deletes the row), per project.
SELECT change, change_id, script_hash, committed_at, committer_name, committer_email
FROM sqitch.changes
WHERE project = %(project)s
ORDER BY committed_at, change
