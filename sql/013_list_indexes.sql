-- 013_list_indexes: indexes that let the incident list (GET
-- /api/v1/incidents) walk the incidents of one status and/or risk newest
-- first instead of scanning the whole table (issue 8: at a million
-- incidents a filtered page took seconds).  incidents_status (001) serves
-- a status alone.

-- A status and a risk decision (risk IS NULL: none yet), newest first.
CREATE INDEX incidents_status_risk ON incidents (status, risk, id);
-- A risk decision alone, newest first.
CREATE INDEX incidents_risk ON incidents (risk, id);
