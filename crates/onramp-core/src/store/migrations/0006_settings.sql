-- What the CSM sets once (the Jira site and account, their own name), as one JSON document,
-- and the name this data directory's secrets have in the OS keyring. Never the secrets.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
