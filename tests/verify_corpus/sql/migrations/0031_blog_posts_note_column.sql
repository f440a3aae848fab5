-- Free-text note with a default.
ALTER TABLE blog.posts ADD COLUMN note text NOT NULL DEFAULT '';
