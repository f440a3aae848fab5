-- Drop the enum.
DROP TYPE hr.leave_status;
