-- Who referred whom.
ALTER TABLE blog.authors ADD COLUMN referred_by bigint;
ALTER TABLE blog.authors ADD CONSTRAINT authors_referred_by_fk FOREIGN KEY (referred_by)
    REFERENCES blog.authors (id) ON DELETE SET NULL;
CREATE INDEX authors_referred_by_idx ON blog.authors (referred_by) WHERE referred_by IS NOT NULL;
