-- Replies the CSM writes from Onramp on a draft's ticket: each posted once, waiting while Jira
-- cannot be reached.
CREATE TABLE ticket_replies (
    id           TEXT PRIMARY KEY,
    draft_id     TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    -- A post went out at this time and its answer may have been lost: look before posting again.
    post_sent_at INTEGER,
    -- Jira's comment, once it has the reply.
    comment_id   TEXT,
    -- Why the last try failed; `refused` when Jira said no (it is not tried again).
    last_error   TEXT,
    refused      INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1))
) STRICT;
