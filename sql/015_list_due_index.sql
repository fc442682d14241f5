-- 015_list_due_index: the incident list filtered by due_before (the
-- dashboard's "due this week") starts from the pending obligations due
-- before the instant instead of scanning the incidents newest first and
-- probing each one's obligations (issue 8: at a million incidents that
-- scan took 8 ms when matches were near the top and half a second when
-- few incidents matched; now 5 ms and 0.01 ms).  Partial, and led by
-- due_at, so that no other query picks it over obligations_incident;
-- INCIDENT_LIST_DUE (server/store_sql.h) names it.

-- Pending obligations by deadline, with their incident (covering).
CREATE INDEX obligations_due_incident ON obligations (due_at, incident_id,
    state) WHERE state = 'pending';

-- The catalog's staleness check (store_catalog_stamp(), on every change
-- to an incident) now sums the regimes' versions (014): from this small
-- index instead of the large rows with their rules.  013's index on
-- updated_at served the check as it was before 014.
DROP INDEX regimes_updated;
CREATE INDEX regimes_version ON regimes (version);
