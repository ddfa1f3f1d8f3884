-- Which running Onramp (window or CLI) is sending a submission, and until when its claim holds:
-- two processes on one data directory must never send the same draft at once, and a process
-- that crashed mid-attempt must not hold its claim for ever.
ALTER TABLE submissions ADD COLUMN claimed_by TEXT;
ALTER TABLE submissions ADD COLUMN claimed_until INTEGER;
