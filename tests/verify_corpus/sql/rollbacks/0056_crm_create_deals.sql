-- Drop the table.
DROP TABLE crm.deals;
