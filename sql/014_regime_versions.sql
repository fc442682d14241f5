-- 014_regime_versions: a version per regime, bumped on every change, so
-- that a regime has an ETag and a change needs If-Match (as incidents do).

-- Bumped by every change and retirement (the ETag of GET /regimes/{id}).
ALTER TABLE regimes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
