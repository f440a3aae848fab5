-- Free-text note with a default.
ALTER TABLE shop.orders ADD COLUMN note text NOT NULL DEFAULT '';
