-- 010_retention: anonymising closed incidents after the retention period
-- (server/retention.c), and an audit chain that survives it.
--
-- Until now each event's hash covered its data text, so no byte of it
-- could ever change.  From here on an event also keeps the digest of its
-- data as first written, and the chain hash covers that digest instead
-- (audit.c, "v2").  Retention may then replace the personal free text in
-- an event's data, once, marking the event redacted: the chain still
-- proves when, by whom and what kind of event it was, and that its data
-- had that digest, while the words themselves are gone.  Events written
-- before this migration keep the old hash and cannot be redacted.

-- When retention erased the incident's personal free text; NULL: never.
ALTER TABLE incidents ADD COLUMN anonymised_at INTEGER;

-- Hex BLAKE2b-256 of data as first written; the chain hash covers it.
-- NULL: an event written before 010, whose hash covers data itself.
ALTER TABLE events ADD COLUMN data_hash TEXT;

-- When retention replaced the personal free text in data; NULL: data is
-- as written (and must still match data_hash).
ALTER TABLE events ADD COLUMN redacted_at INTEGER;

-- Events stay append-only, with one exception: retention may rewrite the
-- data of a v2 event once, setting redacted_at, and nothing else.
DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (OLD.data_hash IS NOT NULL AND OLD.redacted_at IS NULL
    AND NEW.redacted_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action AND NEW.incident_id IS OLD.incident_id
    AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
    AND NEW.data_hash = OLD.data_hash)
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
