-- Drop the view.
DROP VIEW crm.active_deals;
