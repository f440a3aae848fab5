-- Lifecycle of a leave.
CREATE TYPE hr.leave_status AS ENUM ('draft', 'active', 'closed');
