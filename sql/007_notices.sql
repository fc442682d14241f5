-- 007_notices: drafted notices (issue 5).  The exact text of a notice
-- recorded as sent, and the Art. 34(3) exemption relied on when people are
-- not written to.

-- The words that went out with a recorded notification, kept as sent.
CREATE TABLE notice_texts (
	notification_id   INTEGER PRIMARY KEY REFERENCES notifications (id),
	kind              TEXT NOT NULL CHECK (kind IN ('ico_report',
	    'art34_letter', 'controller_notice', 'regulator_notice')),
	                                       -- the notice kind drafted
	incident_version  INTEGER,             -- incident version the draft
	                                       -- came from (NULL: not given)
	text              TEXT NOT NULL        -- the exact text that was sent
) STRICT;

-- Art. 34(3): the condition relied on for not communicating the breach to
-- the people affected.  One per incident; the Art. 34 obligation is waived
-- with it, and the decision is an audit event.
CREATE TABLE art34_exemptions (
	incident_id   INTEGER PRIMARY KEY REFERENCES incidents (id),
	exemption     TEXT NOT NULL CHECK (exemption IN ('a', 'b', 'c')),
	                                       -- (a) data unintelligible,
	                                       -- (b) risk no longer likely,
	                                       -- (c) disproportionate effort:
	                                       -- public communication instead
	explanation   TEXT NOT NULL,           -- why the condition is met
	decided_by    INTEGER NOT NULL REFERENCES users (id), -- who decided
	decided_at    INTEGER NOT NULL         -- when
) STRICT;
