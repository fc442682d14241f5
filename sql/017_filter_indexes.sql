-- 017_filter_indexes: every filter of the dashboard and of the incident
-- list walks an index in the order it answers, instead of checking rows
-- one by one until a page is full (issue 8: at a million incidents the
-- dashboard of met obligations took 0.3 s, of one status up to a minute,
-- and the list of one regime's incidents up to 10 s).

-- The dashboard (obligations by deadline) filtered by incident status:
-- each obligation carries its incident's status, kept by the triggers
-- below, so that (state, status) is one range of an index in due_at
-- order.  OBLIGATION_DUE_STATUS and OBLIGATION_DUE_OPEN
-- (server/store_sql.h) name it.
ALTER TABLE obligations ADD COLUMN incident_status TEXT NOT NULL DEFAULT '';
UPDATE obligations SET incident_status =
    (SELECT i.status FROM incidents i WHERE i.id = obligations.incident_id);
CREATE INDEX obligations_state_status_due ON obligations (state,
    incident_status, due_at);

-- The server's insert names the status; any other writer of obligations
-- gets it here.
CREATE TRIGGER obligations_incident_status AFTER INSERT ON obligations
WHEN NEW.incident_status IS NOT
    (SELECT i.status FROM incidents i WHERE i.id = NEW.incident_id)
BEGIN
	UPDATE obligations SET incident_status =
	    (SELECT i.status FROM incidents i WHERE i.id = NEW.incident_id)
	WHERE id = NEW.id;
END;

CREATE TRIGGER incidents_status_obligations AFTER UPDATE OF status
ON incidents WHEN NEW.status IS NOT OLD.status
BEGIN
	UPDATE obligations SET incident_status = NEW.status
	WHERE incident_id = NEW.id;
END;

-- The incident list filtered by regime: that regime's obligations,
-- newest incident first (INCIDENT_LIST_REGIME).
CREATE INDEX obligations_regime_incident ON obligations (regime_id,
    incident_id);
