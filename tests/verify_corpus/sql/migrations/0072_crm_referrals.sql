-- Who referred whom.
ALTER TABLE crm.accounts ADD COLUMN referred_by bigint;
ALTER TABLE crm.accounts ADD CONSTRAINT accounts_referred_by_fk FOREIGN KEY (referred_by)
    REFERENCES crm.accounts (id) ON DELETE SET NULL;
CREATE INDEX accounts_referred_by_idx ON crm.accounts (referred_by) WHERE referred_by IS NOT NULL;
