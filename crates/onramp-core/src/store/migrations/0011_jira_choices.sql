-- Values the CSM chose on Review for required Jira fields the playbook does not fill (a
-- "Customer" select): kept with the draft, sent with its ticket.
CREATE TABLE jira_choices (
    draft_id   TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    field_id   TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (draft_id, field_id)
) STRICT, WITHOUT ROWID;
