-- Enum values cannot be dropped: recreate the type without it.
ALTER TABLE hr.leaves ALTER COLUMN status DROP DEFAULT;
ALTER TYPE hr.leave_status RENAME TO leave_status_old;
CREATE TYPE hr.leave_status AS ENUM ('draft', 'active', 'closed');
DROP VIEW hr.active_leaves;
ALTER TABLE hr.leaves ALTER COLUMN status TYPE hr.leave_status
    USING (CASE WHEN status::text = 'archived' THEN 'closed' ELSE status::text END)::hr.leave_status;
ALTER TABLE hr.leaves ALTER COLUMN status SET DEFAULT 'draft';
CREATE VIEW hr.active_leaves AS
SELECT x.id, x.amount, c.name AS employee_name
  FROM hr.leaves x JOIN hr.employees c ON c.id = x.employee_id
 WHERE x.status = 'active';
DROP TYPE hr.leave_status_old;
