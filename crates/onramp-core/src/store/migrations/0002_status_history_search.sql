-- Draft life cycle, trash, audit trail, full-text search and screenshots.

-- Why a draft is escalated (the SOP: discuss an issue with your team lead). NULL otherwise.
ALTER TABLE drafts ADD COLUMN status_note TEXT;
-- Set when the draft is in the trash; purged drafts are deleted outright.
ALTER TABLE drafts ADD COLUMN deleted_at INTEGER;

-- Every change to a draft, oldest first. Values are JSON (NULL: no value).
CREATE TABLE history (
    id        INTEGER PRIMARY KEY,
    draft_id  TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('window', 'cli', 'import')),
    event     TEXT NOT NULL,
    field_id  TEXT,
    old_value TEXT CHECK (old_value IS NULL OR json_valid(old_value)),
    new_value TEXT CHECK (new_value IS NULL OR json_valid(new_value))
) STRICT;

CREATE INDEX history_by_draft ON history (draft_id, id);

-- One row per draft: the company, the provider's name and aliases, and every typed answer.
-- Maintained by the core on each write (the provider's name lives in the playbook, not here).
CREATE VIRTUAL TABLE drafts_fts USING fts5 (
    draft_id UNINDEXED,
    company,
    provider,
    answers,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Screenshots, stored once per content under <data dir>/blobs/<sha256>.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY NOT NULL,
    media_type TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE attachments (
    draft_id    TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    slot_id     TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    file_name   TEXT NOT NULL,
    attached_at INTEGER NOT NULL,
    PRIMARY KEY (draft_id, slot_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX attachments_by_blob ON attachments (sha256);
