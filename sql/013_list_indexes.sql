-- 013_list_indexes: indexes for hot queries found by the benchmarks of
-- issue 8.  The incident list (GET /api/v1/incidents) walks the incidents
-- of one status and/or risk newest first instead of scanning the whole
-- table (at a million incidents a filtered page took seconds);
-- incidents_status (001) serves a status alone.

-- A status and a risk decision (risk IS NULL: none yet), newest first.
CREATE INDEX incidents_status_risk ON incidents (status, risk, id);
-- A risk decision alone, newest first.
CREATE INDEX incidents_risk ON incidents (risk, id);

-- The catalog's staleness check (store_catalog_stamp(), on every change to
-- an incident) counts the regimes and reads their latest change: from this
-- small index instead of the large rows with their rules.
CREATE INDEX regimes_updated ON regimes (updated_at);
