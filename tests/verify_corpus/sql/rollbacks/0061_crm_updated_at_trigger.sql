-- Drop trigger, function and column.
DROP TRIGGER deals_touch ON crm.deals;
DROP FUNCTION crm.touch();
ALTER TABLE crm.deals DROP COLUMN updated_at;
