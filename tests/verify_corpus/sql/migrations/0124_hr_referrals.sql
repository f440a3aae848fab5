-- Who referred whom.
ALTER TABLE hr.employees ADD COLUMN referred_by bigint;
ALTER TABLE hr.employees ADD CONSTRAINT employees_referred_by_fk FOREIGN KEY (referred_by)
    REFERENCES hr.employees (id) ON DELETE SET NULL;
CREATE INDEX employees_referred_by_idx ON hr.employees (referred_by) WHERE referred_by IS NOT NULL;
