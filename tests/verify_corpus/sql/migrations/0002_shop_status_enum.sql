-- Lifecycle of a order.
CREATE TYPE shop.order_status AS ENUM ('draft', 'active', 'closed');
