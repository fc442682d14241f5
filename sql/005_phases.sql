-- 005_phases: regimes with several phases (NIS2, DORA, LGPD, ...), and the
-- incident facts the regimes' conditions read.  Applied with foreign keys
-- off and checked afterwards (SQLite's documented table-rebuild steps).

-- People affected per jurisdiction: JSON object {"US-TX": 300, ...}.
ALTER TABLE incidents ADD COLUMN subjects_by_jurisdiction TEXT NOT NULL
    DEFAULT '{}';
-- Recorded determinations: JSON object {"sec_material": "RFC 3339 UTC", ...}.
ALTER TABLE incidents ADD COLUMN determinations TEXT NOT NULL DEFAULT '{}';

-- One obligation per (incident, regime, phase).
CREATE TABLE obligations_new (
	id            INTEGER PRIMARY KEY,
	incident_id   INTEGER NOT NULL REFERENCES incidents (id),
	regime_id     TEXT NOT NULL REFERENCES regimes (id),
	phase         TEXT NOT NULL,           -- the regime's phase id
	phase_name    TEXT NOT NULL,           -- the phase, in words
	recipient     TEXT NOT NULL,           -- who must be told
	starts_at     INTEGER NOT NULL,        -- when the clock started
	due_at        INTEGER NOT NULL,        -- the deadline
	target        INTEGER NOT NULL DEFAULT 0, -- 1: due_at is the organisation's
	                                       -- target (no fixed period in law)
	state         TEXT NOT NULL CHECK (state IN
	    ('pending', 'met', 'not_required', 'waived')),
	basis         TEXT NOT NULL,           -- the rule applied, in words
	met_at        INTEGER,                 -- when the first notice went out
	reference     TEXT,                    -- recipient's reference (ICO case no.)
	delay_reason  TEXT,                    -- required when met_at > due_at
	waive_reason  TEXT,                    -- why the DPO waived it
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	UNIQUE (incident_id, regime_id, phase)
) STRICT;
INSERT INTO obligations_new (id, incident_id, regime_id, phase, phase_name,
    recipient, starts_at, due_at, target, state, basis, met_at, reference,
    delay_reason, waive_reason, created_at, updated_at)
SELECT id, incident_id, regime_id, 'notification', 'Notification', recipient,
    starts_at, due_at, 0, state, basis, met_at, reference, delay_reason,
    waive_reason, created_at, updated_at
FROM obligations;
DROP TABLE obligations;
ALTER TABLE obligations_new RENAME TO obligations;
CREATE INDEX obligations_due ON obligations (state, due_at);
CREATE INDEX obligations_incident ON obligations (incident_id, due_at);
