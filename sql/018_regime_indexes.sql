-- 018_regime_indexes: a filter by regime together with an incident status
-- walks only the obligations that match both, in the order it answers
-- (issue 8: at a million incidents the dashboard of one regime's met
-- obligations of closed incidents took 0.7 s, and the list of one
-- status's incidents under the commonest regime 0.3 s, walking every
-- obligation of the regime or the status to find a page of the few that
-- match both).

-- The dashboard filtered by regime: its state and incident status in
-- deadline order (OBLIGATION_DUE_REGIME_STATUS, OBLIGATION_DUE_REGIME_OPEN
-- in server/store_sql.h).
CREATE INDEX obligations_regime_state_status_due ON obligations (regime_id,
    state, incident_status, due_at);

-- The incident list filtered by regime and status: newest incident first
-- (INCIDENT_LIST_REGIME_STATUS).
CREATE INDEX obligations_regime_status_incident ON obligations (regime_id,
    incident_status, incident_id);
