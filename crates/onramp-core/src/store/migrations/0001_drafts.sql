-- Drafts and their answers. Answers are keyed by the playbook's stable field IDs and hold JSON,
-- so a field that later changes kind or disappears never loses what the CSM typed.
-- Times are Unix milliseconds (UTC).
CREATE TABLE drafts (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('sso', 'hris')),
    provider_id TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'draft',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX drafts_by_updated_at ON drafts (updated_at DESC);

CREATE TABLE answers (
    draft_id   TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    field_id   TEXT NOT NULL,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (draft_id, field_id)
) STRICT, WITHOUT ROWID;
