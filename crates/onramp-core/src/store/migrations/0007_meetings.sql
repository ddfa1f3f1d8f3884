-- The integration meeting of a draft. What the CSM types (time, zone, attendees, agenda) stays in
-- the draft's answers; this is what the calendar and the recap need besides: the invite's stable
-- UID and SEQUENCE, what the last invite said (to know when a new one is a change), how the
-- meeting went, and the recap as the CSM edited it.
CREATE TABLE meetings (
    draft_id            TEXT PRIMARY KEY NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    uid                 TEXT NOT NULL UNIQUE,
    sequence            INTEGER NOT NULL DEFAULT 0,
    -- The last exported invite's content, without DTSTAMP; NULL before the first one.
    last_invite         TEXT,
    state               TEXT NOT NULL DEFAULT 'planned'
                        CHECK (state IN ('planned', 'invited', 'held', 'no_show', 'cancelled')),
    recording_processed INTEGER NOT NULL DEFAULT 0 CHECK (recording_processed IN (0, 1)),
    recap_subject       TEXT,
    recap_body          TEXT
) STRICT;
