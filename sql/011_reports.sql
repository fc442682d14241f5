-- 011_reports: what caused each incident, and the indexes the breach
-- register and the reports read (issue 7).

-- What caused the breach, after the ICO's breach types (README, "Register
-- and reports"); NULL: not recorded.
ALTER TABLE incidents ADD COLUMN cause TEXT CHECK (cause IN ('phishing',
    'malware', 'ransomware', 'brute_force', 'denial_of_service',
    'system_misconfiguration', 'insecure_webpage', 'unauthorised_access',
    'misdirected_email', 'failure_to_use_bcc', 'misdirected_post',
    'verbal_disclosure', 'failure_to_redact', 'alteration_of_data',
    'lost_or_stolen_device', 'lost_or_stolen_paperwork',
    'insecure_disposal', 'other', 'unknown'));

-- The register and the reports select incidents by discovered_at; the
-- register pages through them in (discovered_at, id) order.
CREATE INDEX incidents_discovered ON incidents (discovered_at, id);
