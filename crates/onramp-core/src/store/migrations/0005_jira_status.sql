-- The Jira status of each submitted ticket, fetched while online so the CSM can follow up.
ALTER TABLE submissions ADD COLUMN jira_status TEXT;
ALTER TABLE submissions ADD COLUMN status_checked_at INTEGER;
