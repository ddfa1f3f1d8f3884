-- Submitting drafts to Jira: one row per draft sent (or waiting to be). Each step is recorded
-- before the next begins, so an attempt that fails anywhere resumes where the last one stopped,
-- and a ticket is never created twice.
CREATE TABLE submissions (
    draft_id        TEXT PRIMARY KEY NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed')),
    issue_id        TEXT,
    issue_key       TEXT,
    -- When a create request went out without an answer: search (with patience, as Jira's
    -- index lags) before ever creating again.
    create_sent_at  INTEGER,
    watcher_added   INTEGER NOT NULL DEFAULT 0 CHECK (watcher_added IN (0, 1)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX submissions_due ON submissions (state, next_attempt_at);

-- Screenshot slots whose file is on the issue.
CREATE TABLE submission_uploads (
    draft_id TEXT NOT NULL REFERENCES submissions (draft_id) ON DELETE CASCADE,
    slot_id  TEXT NOT NULL,
    PRIMARY KEY (draft_id, slot_id)
) STRICT, WITHOUT ROWID;
