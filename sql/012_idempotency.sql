-- 012_idempotency: remember what a create with an Idempotency-Key asked
-- for, so that the same key with a different request is refused (422)
-- instead of silently answered with the first incident.

-- BLAKE2b-256 of the normalised facts of the create (incident.h: the
-- facts with their defaults, keys sorted); NULL for rows made before this
-- migration, which match any request.
ALTER TABLE idempotency ADD COLUMN request_hash BLOB;
