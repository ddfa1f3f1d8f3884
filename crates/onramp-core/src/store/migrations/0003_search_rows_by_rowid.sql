-- Search rows now share their draft's rowid, so rewriting one on each autosave is a key lookup
-- instead of a scan of the whole index (draft_id is an UNINDEXED column). Rows written before
-- this used other rowids: drop them, and the core indexes every draft again when it opens.
DELETE FROM drafts_fts;
