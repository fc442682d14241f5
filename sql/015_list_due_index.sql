-- 015_list_due_index: the incident list filtered by due_before (the
-- dashboard's "due this week") walks the pending obligations, newest
-- incident first, instead of scanning the incidents newest first and
-- probing each one's obligations (issue 8: at a million incidents that
-- scan took half a second when few incidents matched; now under a
-- millisecond, and 0.03 ms when matches are near the top, as before).
-- Partial, so only pending obligations are in it; INCIDENT_LIST_DUE
-- (server/store_sql.h) names it.

-- Pending obligations by incident and deadline (covering).
CREATE INDEX obligations_pending_incident ON obligations (incident_id,
    due_at, state) WHERE state = 'pending';

-- The catalog's staleness check (store_catalog_stamp(), on every change
-- to an incident) now sums the regimes' versions (014): from this small
-- index instead of the large rows with their rules.  013's index on
-- updated_at served the check as it was before 014.
DROP INDEX regimes_updated;
CREATE INDEX regimes_version ON regimes (version);
