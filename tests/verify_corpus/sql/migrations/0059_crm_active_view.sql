-- Active deals with their account.
CREATE VIEW crm.active_deals AS
SELECT x.id, x.amount, c.name AS account_name
  FROM crm.deals x JOIN crm.accounts c ON c.id = x.account_id
 WHERE x.status = 'active';
