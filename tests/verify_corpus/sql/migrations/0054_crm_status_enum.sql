-- Lifecycle of a deal.
CREATE TYPE crm.deal_status AS ENUM ('draft', 'active', 'closed');
