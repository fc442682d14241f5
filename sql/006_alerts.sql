-- 006_alerts: the escalation outbox that breachclock-notifier delivers,
-- and the settings that shape it.

-- Each user's time zone, for the times in their e-mails (IANA name).
ALTER TABLE users ADD COLUMN tz TEXT NOT NULL DEFAULT 'Europe/London';

-- Organisation settings, one JSON document per key.
CREATE TABLE settings (
	key         TEXT PRIMARY KEY,          -- e.g. 'escalation'
	value       TEXT NOT NULL,             -- JSON document
	updated_at  INTEGER NOT NULL           -- when an admin last changed it
) STRICT;

-- The escalation ladder and recipient lists (see server/escalation.c).
INSERT INTO settings VALUES ('escalation', '{"ladder": ["applies", "half", "t-24h", "t-6h", "t-1h", "overdue"], "overdue_every_hours": 24, "regimes": {}, "security_team": [], "leadership": [], "admins": [], "untriaged_hours": 4, "digest_hour_utc": 7, "webhooks": [], "web_base_url": ""}', 0);

-- The outbox: one row per (obligation, ladder step) or per event, each
-- with a unique key so that it is materialised once.  The server decides
-- what and when; the notifier claims a row with a lease, sends it, and
-- acknowledges it with the Message-IDs the mail server accepted.
CREATE TABLE alerts (
	id               INTEGER PRIMARY KEY,
	key              TEXT NOT NULL UNIQUE,     -- obligation:5:t-6h, event:3:..., digest:2026-11-27
	kind             TEXT NOT NULL CHECK (kind IN
	    ('ladder', 'event', 'digest', 'failure')),
	step             TEXT NOT NULL,            -- ladder step or event name
	incident_id      INTEGER REFERENCES incidents (id), -- NULL: digest, failure
	obligation_id    INTEGER REFERENCES obligations (id), -- ladder alerts only
	audience         TEXT NOT NULL,            -- JSON array: assignee, dpo,
	                                           -- security, leadership, admins
	data             TEXT NOT NULL DEFAULT '{}', -- JSON: event or failure detail
	send_at          INTEGER NOT NULL,         -- when it falls due
	expires_at       INTEGER NOT NULL,         -- give up (failed) after this
	state            TEXT NOT NULL CHECK (state IN
	    ('queued', 'claimed', 'sent', 'failed', 'cancelled')),
	attempts         INTEGER NOT NULL DEFAULT 0, -- claims so far
	next_attempt_at  INTEGER NOT NULL DEFAULT 0, -- backoff after a failure
	lease_owner      TEXT,                     -- the notifier holding it
	lease_until      INTEGER,                  -- its lease runs out then
	message_ids      TEXT,                     -- JSON array, once sent
	last_error       TEXT,                     -- the last failure, in words
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL,
	sent_at          INTEGER                   -- when it was acknowledged
) STRICT;
CREATE INDEX alerts_due ON alerts (state, send_at);
CREATE INDEX alerts_obligation ON alerts (obligation_id, state);
CREATE INDEX alerts_incident ON alerts (incident_id, id);
