-- What the CSM should know about a ticket that was made with a step left undone (Jira refused
-- to add them as a watcher), and whether the last failure was Jira refusing the token: saving a
-- new token queues those submissions again by itself.
ALTER TABLE submissions ADD COLUMN warning TEXT;
ALTER TABLE submissions ADD COLUMN failed_on_token INTEGER NOT NULL DEFAULT 0
    CHECK (failed_on_token IN (0, 1));
