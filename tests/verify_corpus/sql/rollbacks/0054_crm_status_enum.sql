-- Drop the enum.
DROP TYPE crm.deal_status;
