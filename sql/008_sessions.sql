-- 008_sessions: web sign-in.  Passwords (argon2id), browser sessions with
-- their CSRF token, and the failed-attempt counters that throttle sign-in.

-- The user's password as a libsodium argon2id string; NULL: this user
-- cannot sign in with a password (service accounts, token-only users).
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- When an admin disabled the user; NULL: active.  A disabled user's
-- tokens and sessions stop working at once.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

-- Browser sessions.  The cookie carries a random secret; only its hash
-- is kept, as for API tokens.
CREATE TABLE sessions (
	id          INTEGER PRIMARY KEY,       -- session id
	user_id     INTEGER NOT NULL REFERENCES users (id),
	hash        BLOB NOT NULL UNIQUE,      -- BLAKE2b-256 of the cookie secret
	csrf        TEXT NOT NULL,             -- token every write must echo
	created_at  INTEGER NOT NULL,          -- sign-in time
	expires_at  INTEGER NOT NULL           -- idle expiry, slid forward on use
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-in attempts, by key ('user:NAME' or 'addr:IP'), to slow
-- down password guessing.  A success clears the user's row.
CREATE TABLE login_failures (
	key         TEXT PRIMARY KEY,          -- what was attacked
	failures    INTEGER NOT NULL,          -- consecutive failures
	last_at     INTEGER NOT NULL,          -- time of the latest failure
	locked_until INTEGER NOT NULL          -- no attempt is checked before this
) STRICT;
