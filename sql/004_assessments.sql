-- 004_assessments: ENISA severity assessments of an incident (server/
-- assess.c).  Each row is the engine's suggestion at one moment; the
-- decision itself stays in risk_decisions, made by a person.  Rows are
-- only ever added, so the history of suggestions is kept.
-- All instants are INTEGER seconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE assessments (
	id                INTEGER PRIMARY KEY,  -- assessment id
	incident_id       INTEGER NOT NULL REFERENCES incidents (id),
	                  -- the incident assessed
	inputs            TEXT NOT NULL CHECK (json_valid(inputs)
	    AND json_type(inputs) = 'object'),
	                  -- the normalised request: data_type,
	                  -- context_adjustment, ease_of_identification,
	                  -- confidentiality, integrity, availability,
	                  -- malicious, mitigations
	score_hundredths  INTEGER NOT NULL CHECK (score_hundredths >= 0),
	                  -- ENISA SE = DPC x EI + CB, times 100 (4.25 is 425)
	level             TEXT NOT NULL CHECK (level IN
	    ('low', 'medium', 'high', 'very high')),
	                  -- ENISA's band of the score
	suggestion        TEXT NOT NULL CHECK (suggestion IN
	    ('unlikely', 'risk', 'high')),
	                  -- the decision suggested once mitigations count
	reasons           TEXT NOT NULL CHECK (json_valid(reasons)
	    AND json_type(reasons) = 'array'),
	                  -- the sentences for the record, a JSON array
	assessed_by       INTEGER NOT NULL REFERENCES users (id),
	                  -- who ran the assessment
	assessed_at       INTEGER NOT NULL      -- when
) STRICT;
-- Listing and "latest" both read one incident's rows in id order.
CREATE INDEX assessments_incident ON assessments (incident_id, id);
