-- 019_due_filter_columns: the risk and assignee filters of the dashboard
-- and of the incident list are read from the index a page walks, not
-- from each row it passes (issue 8: at a million incidents the dashboard
-- of obligations of incidents with no risk decision read the incident
-- row of every obligation of a state, 19,000 of them, to find none: 35
-- ms; the list of one handler's incidents under a rare regime read all
-- 40,000 of theirs: 65-100 ms).

-- Each obligation carries its incident's risk and assignee as it carries
-- its status (017), kept by the triggers below.
ALTER TABLE obligations ADD COLUMN incident_risk TEXT;  -- incidents.risk
ALTER TABLE obligations ADD COLUMN incident_assignee INTEGER; -- incidents.assignee_id
UPDATE obligations SET (incident_risk, incident_assignee) =
    (SELECT i.risk, i.assignee_id FROM incidents i
     WHERE i.id = obligations.incident_id);

-- The dashboard's indexes (017, 018) end with them, so that a walk in
-- deadline order skips the obligations of other risks or assignees
-- without reading their rows (OBLIGATION_DUE_* in server/store_sql.h).
-- The id comes before them: a page is in (due_at, id) order, which the
-- index must give without a sort.
DROP INDEX obligations_state_status_due;
CREATE INDEX obligations_state_status_due ON obligations (state,
    incident_status, due_at, id, incident_risk, incident_assignee);
DROP INDEX obligations_regime_state_status_due;
CREATE INDEX obligations_regime_state_status_due ON obligations (regime_id,
    state, incident_status, due_at, id, incident_risk, incident_assignee);

-- The incident list by regime (017, 018) likewise
-- (INCIDENT_LIST_REGIME, INCIDENT_LIST_REGIME_STATUS).
DROP INDEX obligations_regime_incident;
CREATE INDEX obligations_regime_incident ON obligations (regime_id,
    incident_id, incident_risk, incident_assignee);
DROP INDEX obligations_regime_status_incident;
CREATE INDEX obligations_regime_status_incident ON obligations (regime_id,
    incident_status, incident_id, incident_risk, incident_assignee);

-- The incident list by assignee (016) checks the risk from the index.
DROP INDEX incidents_assignee;
CREATE INDEX incidents_assignee ON incidents (assignee_id, id, risk);
DROP INDEX incidents_assignee_status;
CREATE INDEX incidents_assignee_status ON incidents (assignee_id, status,
    id, risk);

-- The server's insert names them; any other writer of obligations gets
-- them here.  One trigger of each kind now keeps all three copies (017's
-- kept the status alone), so that an incident change that moves its
-- status and its assignee together rewrites its obligations once.
DROP TRIGGER obligations_incident_status;
DROP TRIGGER incidents_status_obligations;

CREATE TRIGGER obligations_incident_copies AFTER INSERT ON obligations
WHEN (NEW.incident_status, NEW.incident_risk, NEW.incident_assignee) IS NOT
    (SELECT i.status, i.risk, i.assignee_id FROM incidents i
     WHERE i.id = NEW.incident_id)
BEGIN
	UPDATE obligations SET (incident_status, incident_risk,
	    incident_assignee) = (SELECT i.status, i.risk, i.assignee_id
	    FROM incidents i WHERE i.id = NEW.incident_id)
	WHERE id = NEW.id;
END;

CREATE TRIGGER incidents_obligation_copies
AFTER UPDATE OF status, risk, assignee_id ON incidents
WHEN NEW.status IS NOT OLD.status OR NEW.risk IS NOT OLD.risk
    OR NEW.assignee_id IS NOT OLD.assignee_id
BEGIN
	UPDATE obligations SET (incident_status, incident_risk,
	    incident_assignee) = (NEW.status, NEW.risk, NEW.assignee_id)
	WHERE incident_id = NEW.id;
END;
