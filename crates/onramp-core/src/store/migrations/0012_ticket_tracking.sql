-- Where each submitted ticket stands in Jira beyond its status's name, and what the last status
-- sync round did: the follow-up after the ticket.
ALTER TABLE submissions ADD COLUMN jira_category TEXT
    CHECK (jira_category IN ('to_do', 'in_progress', 'done'));
ALTER TABLE submissions ADD COLUMN jira_resolution TEXT;
ALTER TABLE submissions ADD COLUMN jira_updated_at INTEGER;
-- When search last said no such ticket: deleted, moved out of reach, or hidden from the account.
ALTER TABLE submissions ADD COLUMN ticket_gone_at INTEGER;

CREATE TABLE status_syncs (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL,
    tracked INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    error TEXT
);
