-- 009_feeds: the calendar feed (issue 7).  A per-user secret feed token,
-- a revision counter per obligation for the events' SEQUENCE, and an
-- installation id that keeps event UIDs unique across installations.

-- Calendar feed tokens: at most one per user, so creating a new one
-- replaces (and so invalidates) the old.  Only a hash is kept, as for API
-- tokens.  A feed token grants nothing but GET /api/v1/calendar.ics.
CREATE TABLE calendar_tokens (
	user_id     INTEGER PRIMARY KEY REFERENCES users (id), -- the owner
	hash        BLOB NOT NULL UNIQUE,      -- BLAKE2b-256 of the token text
	created_at  INTEGER NOT NULL           -- when it was (re)issued
) STRICT;

-- How many times the obligation's deadline has moved (0: never).  The
-- feed sends it as the event's SEQUENCE (RFC 5545 3.8.7.4), so a calendar
-- that holds the event replaces it with the new time.  Kept by the
-- trigger below, whatever code moves due_at.
ALTER TABLE obligations ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER obligations_revision AFTER UPDATE OF due_at ON obligations
WHEN NEW.due_at != OLD.due_at
BEGIN
	UPDATE obligations SET revision = OLD.revision + 1 WHERE id = NEW.id;
END;

-- This installation's random id: the right-hand side of the feed's event
-- UIDs (obligation-ID@INSTANCE.breachclock), so that feeds of two
-- installations in one calendar app never share a UID.  Never changed.
INSERT INTO settings (key, value, updated_at)
VALUES ('calendar', json_object('instance', lower(hex(randomblob(8)))), 0);
