-- What was written on each followed ticket, as the status sync read it: Support's comments and
-- the CSM's own.
CREATE TABLE ticket_comments (
    draft_id   TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    comment_id TEXT NOT NULL,
    author     TEXT NOT NULL,
    author_id  TEXT,
    body       TEXT NOT NULL,
    public     INTEGER NOT NULL CHECK (public IN (0, 1)),
    created_at INTEGER,
    PRIMARY KEY (draft_id, comment_id)
) STRICT, WITHOUT ROWID;
