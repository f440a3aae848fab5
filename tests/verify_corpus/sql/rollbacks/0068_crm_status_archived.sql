-- Enum values cannot be dropped: recreate the type without it.
ALTER TABLE crm.deals ALTER COLUMN status DROP DEFAULT;
ALTER TYPE crm.deal_status RENAME TO deal_status_old;
CREATE TYPE crm.deal_status AS ENUM ('draft', 'active', 'closed');
DROP VIEW crm.active_deals;
ALTER TABLE crm.deals ALTER COLUMN status TYPE crm.deal_status
    USING (CASE WHEN status::text = 'archived' THEN 'closed' ELSE status::text END)::crm.deal_status;
ALTER TABLE crm.deals ALTER COLUMN status SET DEFAULT 'draft';
CREATE VIEW crm.active_deals AS
SELECT x.id, x.amount, c.name AS account_name
  FROM crm.deals x JOIN crm.accounts c ON c.id = x.account_id
 WHERE x.status = 'active';
DROP TYPE crm.deal_status_old;
