-- 016_assignee_indexes: the incident list and the dashboard filtered by
-- assignee ("my incidents", "unassigned") walk the incidents of that
-- assignee instead of every incident newest first (issue 8: at a million
-- incidents a list for someone with no incidents scanned the whole table,
-- 650 ms, and the dashboard's "unassigned" 50 ms).  INCIDENT_LIST_ASSIGNEE,
-- INCIDENT_LIST_ASSIGNEE_STATUS and OBLIGATION_DUE_BY_ASSIGNEE
-- (server/store_sql.h) name them; NULL (unassigned) is in both.

-- An assignee's incidents, newest first (the rowid is the last column).
CREATE INDEX incidents_assignee ON incidents (assignee_id);

-- An assignee's incidents in one status (or the open ones), newest first.
CREATE INDEX incidents_assignee_status ON incidents (assignee_id, status);
