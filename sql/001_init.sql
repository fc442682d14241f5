-- 001_init: users and tokens, the incident register, risk decisions,
-- obligations and notices, and the hash-chained audit log.
-- All instants are INTEGER seconds since 1970-01-01T00:00:00Z (UTC).

-- People and services that use the API.
CREATE TABLE users (
	id          INTEGER PRIMARY KEY,       -- internal id
	name        TEXT NOT NULL UNIQUE,      -- login name, ^[a-z0-9._-]{1,64}$
	role        TEXT NOT NULL CHECK (role IN
	    ('reporter', 'handler', 'dpo', 'viewer', 'admin', 'notifier')),
	email       TEXT,                      -- where alerts go; NULL: none
	created_at  INTEGER NOT NULL           -- when the user was added
) STRICT;

-- Bearer tokens.  Only a hash of each token is kept.
CREATE TABLE tokens (
	id          INTEGER PRIMARY KEY,       -- token id, for revocation
	user_id     INTEGER NOT NULL REFERENCES users (id),
	hash        BLOB NOT NULL UNIQUE,      -- BLAKE2b-256 of the token text
	created_at  INTEGER NOT NULL,          -- when it was issued
	expires_at  INTEGER,                   -- NULL: never expires
	revoked_at  INTEGER                    -- NULL: not revoked
) STRICT;

-- The legal obligations to notify, as reference data (shared/reference/
-- regimes.json, with its citations).  Deadline rules live in the engine.
CREATE TABLE regimes (
	id             TEXT PRIMARY KEY,       -- stable id, e.g. uk_gdpr_art33_ico
	name           TEXT NOT NULL,          -- human name
	jurisdiction   TEXT NOT NULL,          -- UK, EU, US-TX, ...
	legal_source   TEXT NOT NULL,          -- article or section
	notify         TEXT NOT NULL,          -- regulator | individuals | controller | ...
	recipient      TEXT NOT NULL,          -- who is told
	clock_start    TEXT NOT NULL,          -- what starts the clock, in words
	deadline       TEXT NOT NULL,          -- the deadline, in the law's words
	citation_url   TEXT NOT NULL           -- where the text of the law is
) STRICT;

-- One suspected or confirmed personal-data breach.
CREATE TABLE incidents (
	id                      INTEGER PRIMARY KEY, -- numeric id
	ref                     TEXT NOT NULL UNIQUE, -- human id, BR-2026-0001
	reporter_id             INTEGER NOT NULL REFERENCES users (id), -- who logged it
	assignee_id             INTEGER REFERENCES users (id), -- who handles it
	status                  TEXT NOT NULL CHECK (status IN ('suspected',
	    'investigating', 'confirmed', 'not_a_breach', 'contained', 'closed')),
	risk                    TEXT CHECK (risk IN ('unlikely', 'risk', 'high')),
	                        -- latest risk decision; NULL: none yet
	version                 INTEGER NOT NULL,    -- bumped on every change (ETag)
	created_at              INTEGER NOT NULL,
	updated_at              INTEGER NOT NULL,
	title                   TEXT NOT NULL,       -- short summary
	description             TEXT,                -- what happened
	cyber_incident          TEXT NOT NULL,       -- yes | no | unknown
	how_discovered          TEXT,                -- how it was found
	occurred_from           INTEGER,             -- when it started, if known
	occurred_to             INTEGER,             -- when it ended, if known
	discovered_at           INTEGER NOT NULL,    -- someone noticed
	aware_at                INTEGER,             -- controller aware (Art. 33 clock)
	awareness_justification TEXT,                -- why aware_at is > 24 h after discovery
	not_a_breach_reason     TEXT,                -- why it is not a breach
	role                    TEXT NOT NULL,       -- controller | processor
	controller_name         TEXT,                -- processor: whom to tell
	controller_notice_hours INTEGER NOT NULL,    -- processor: contract's notice period
	jurisdictions           TEXT NOT NULL,       -- JSON array of ISO 3166 codes
	data_categories         TEXT NOT NULL,       -- JSON array (ICO tick list)
	subject_categories      TEXT NOT NULL,       -- JSON array (ICO tick list)
	sector_flags            TEXT NOT NULL,       -- JSON array (PECR, NIS2, DORA, ...)
	subjects_count          INTEGER,             -- approximate people affected
	records_count           INTEGER,             -- approximate records affected
	confidentiality_impact  INTEGER NOT NULL,    -- 0 | 1
	integrity_impact        INTEGER NOT NULL,    -- 0 | 1
	availability_impact     INTEGER NOT NULL,    -- 0 | 1
	encryption              TEXT NOT NULL,       -- none | key_safe | key_compromised | unknown
	backups                 TEXT NOT NULL,       -- none | available | restored | unknown
	likely_consequences     TEXT,
	measures_taken          TEXT,
	measures_proposed       TEXT,
	dpo_contact             TEXT
) STRICT;
CREATE INDEX incidents_status ON incidents (status, id);
CREATE INDEX incidents_reporter ON incidents (reporter_id, id);

-- The last human-id sequence number handed out per year.
CREATE TABLE ref_seq (
	year  INTEGER PRIMARY KEY,             -- calendar year (UTC)
	last  INTEGER NOT NULL                 -- last number used
) STRICT;

-- Idempotency-Key of a create: a retried POST returns the first incident.
CREATE TABLE idempotency (
	user_id      INTEGER NOT NULL REFERENCES users (id),
	key          TEXT NOT NULL,            -- the client's Idempotency-Key
	incident_id  INTEGER NOT NULL REFERENCES incidents (id),
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (user_id, key)
) STRICT;

-- Risk decisions, oldest first; the latest one counts.
CREATE TABLE risk_decisions (
	id           INTEGER PRIMARY KEY,
	incident_id  INTEGER NOT NULL REFERENCES incidents (id),
	level        TEXT NOT NULL CHECK (level IN ('unlikely', 'risk', 'high')),
	rationale    TEXT NOT NULL,            -- in the decider's words ('' if none)
	decided_by   INTEGER NOT NULL REFERENCES users (id),
	decided_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX risk_decisions_incident ON risk_decisions (incident_id, id);

-- A regime applied to one incident.  'missed' is not stored: it is a
-- pending obligation whose due_at has passed.
CREATE TABLE obligations (
	id            INTEGER PRIMARY KEY,
	incident_id   INTEGER NOT NULL REFERENCES incidents (id),
	regime_id     TEXT NOT NULL REFERENCES regimes (id),
	recipient     TEXT NOT NULL,           -- who must be told
	starts_at     INTEGER NOT NULL,        -- when the clock started
	due_at        INTEGER NOT NULL,        -- the deadline
	state         TEXT NOT NULL CHECK (state IN
	    ('pending', 'met', 'not_required', 'waived')),
	basis         TEXT NOT NULL,           -- the rule applied, in words
	met_at        INTEGER,                 -- when the first notice went out
	reference     TEXT,                    -- recipient's reference (ICO case no.)
	delay_reason  TEXT,                    -- required when met_at > due_at
	waive_reason  TEXT,                    -- why the DPO waived it
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	UNIQUE (incident_id, regime_id)
) STRICT;
CREATE INDEX obligations_due ON obligations (state, due_at);

-- Notices sent for an obligation: the first meets it, later ones are
-- follow-ups (phased reports, Art. 33(4)).
CREATE TABLE notifications (
	id             INTEGER PRIMARY KEY,
	obligation_id  INTEGER NOT NULL REFERENCES obligations (id),
	sent_at        INTEGER NOT NULL,       -- when it went out
	recipient      TEXT NOT NULL,
	reference      TEXT,                   -- e.g. the ICO case number
	follow_up      INTEGER NOT NULL,       -- 0: initial, 1: follow-up
	delay_reason   TEXT,
	recorded_by    INTEGER NOT NULL REFERENCES users (id),
	recorded_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_obligation ON notifications (obligation_id, id);

-- The audit log and incident timeline: append-only, hash-chained.  Each
-- hash covers the previous hash and this event's fields (see audit.c).
CREATE TABLE events (
	id           INTEGER PRIMARY KEY,      -- 1, 2, 3, ... in append order
	at           INTEGER NOT NULL,         -- when it happened
	actor        TEXT NOT NULL,            -- user name, or 'system'
	action       TEXT NOT NULL,            -- incident.created, note.added, ...
	incident_id  INTEGER REFERENCES incidents (id), -- NULL: not about one
	data         TEXT NOT NULL,            -- JSON object: what changed
	prev_hash    TEXT NOT NULL,            -- hash of the previous event
	hash         TEXT NOT NULL             -- hex BLAKE2b-256 of this event
) STRICT;
CREATE INDEX events_incident ON events (incident_id, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;

-- UK GDPR regimes (shared/reference/regimes.json).
INSERT INTO regimes VALUES ('uk_gdpr_art33_ico',
	'UK GDPR personal data breach - notification to ICO', 'UK',
	'UK GDPR Art. 33(1), 33(3)-(5)', 'regulator',
	'Information Commissioner''s Office (ICO)',
	'controller becomes aware (reasonable degree of certainty that a security incident has led to personal data being compromised)',
	'without undue delay and, where feasible, not later than 72 hours; late notification must be accompanied by reasons for the delay',
	'https://www.legislation.gov.uk/eur/2016/679/article/33');
INSERT INTO regimes VALUES ('uk_gdpr_art34_individuals',
	'UK GDPR - communication to data subjects', 'UK',
	'UK GDPR Art. 34(1)-(4)', 'individuals', 'affected data subjects',
	'controller becomes aware / high-risk determination',
	'without undue delay',
	'https://www.legislation.gov.uk/eur/2016/679/article/34');
INSERT INTO regimes VALUES ('uk_gdpr_art33_2_processor',
	'UK GDPR - processor to controller', 'UK', 'UK GDPR Art. 33(2)',
	'controller', 'the controller',
	'processor becomes aware of a personal data breach',
	'without undue delay (no fixed hours); no risk threshold - processor notifies every breach, controller assesses risk',
	'https://www.legislation.gov.uk/eur/2016/679/article/33');
