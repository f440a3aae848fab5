-- Who referred whom.
ALTER TABLE shop.customers ADD COLUMN referred_by bigint;
ALTER TABLE shop.customers ADD CONSTRAINT customers_referred_by_fk FOREIGN KEY (referred_by)
    REFERENCES shop.customers (id) ON DELETE SET NULL;
CREATE INDEX customers_referred_by_idx ON shop.customers (referred_by) WHERE referred_by IS NOT NULL;
