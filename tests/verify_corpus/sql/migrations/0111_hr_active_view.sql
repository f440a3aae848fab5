-- Active leaves with their employee.
CREATE VIEW hr.active_leaves AS
SELECT x.id, x.amount, c.name AS employee_name
  FROM hr.leaves x JOIN hr.employees c ON c.id = x.employee_id
 WHERE x.status = 'active';
