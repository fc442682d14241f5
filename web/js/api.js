// api.js: the one way pages talk to breachclockd.
//
// api(method, path, {body, etag, query, headers, redirect}) resolves to
// {status, data, etag, headers} for a 2xx answer and throws ApiError for any
// other (network failures too, with status 0). The session is the HttpOnly
// cookie set by POST /api/v1/session; every write carries the CSRF token
// from GET /api/v1/session (fetched once and cached; fetched again once if
// the server answers 403 csrf). A 401 sends the browser to the sign-in page
// with ?next= the current page, unless {redirect: false}.

const JSON_TYPES = /^application\/(problem\+)?json\b/i;
const PROBLEM_BASE = 'https://breachclock.dev/problems/';

export class ApiError extends Error {
	constructor(status, problem) {
		super(problem && problem.detail ? problem.detail :
		    status === 0 ? 'The server could not be reached.' :
		    `The server answered ${status}.`);
		this.name = 'ApiError';
		this.status = status;
		// The RFC 9457 problem body, or a stand-in with the same fields.
		this.problem = problem || { type: PROBLEM_BASE + 'internal',
		    title: 'Error', status, detail: this.message };
	}

	// The problem's slug: 'invalid-field', 'precondition-failed', ...
	get kind() {
		const t = String(this.problem.type || '');
		return t.startsWith(PROBLEM_BASE) ? t.slice(PROBLEM_BASE.length) : t;
	}

	get field() {
		return this.problem.field || null;
	}
}

let csrfToken = null;
let sessionPromise = null;
let mePromise = null;

// The sign-in page for coming back to the current page afterwards.
export function loginUrl() {
	const here = location.pathname + location.search;
	if (location.pathname === '/login.html')
		return '/login.html';
	return '/login.html?next=' + encodeURIComponent(here);
}

function buildUrl(path, query) {
	if (!query)
		return path;
	const qs = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) {
		if (v === undefined || v === null || v === '')
			continue;
		qs.append(k, String(v));
	}
	const s = qs.toString();
	return s ? path + (path.includes('?') ? '&' : '?') + s : path;
}

async function readBody(resp) {
	if (resp.status === 204 || resp.status === 205)
		return null;
	const type = resp.headers.get('Content-Type') || '';
	const text = await resp.text();
	if (JSON_TYPES.test(type)) {
		try {
			return text === '' ? null : JSON.parse(text);
		} catch (e) {
			return null;
		}
	}
	return text;
}

// GET /api/v1/session: {user, csrf_token}; cached. Resolves null when no
// one is signed in (never redirects).
export function session({ refresh = false } = {}) {
	if (sessionPromise && !refresh)
		return sessionPromise;
	sessionPromise = (async () => {
		let resp;
		try {
			resp = await fetch('/api/v1/session', {
				credentials: 'same-origin',
				headers: { Accept: 'application/json' },
			});
		} catch (e) {
			throw new ApiError(0, null);
		}
		const data = await readBody(resp);
		if (resp.status === 401) {
			csrfToken = null;
			return null;
		}
		if (!resp.ok)
			throw new ApiError(resp.status, data);
		csrfToken = data.csrf_token;
		if (!mePromise && data.user)
			mePromise = Promise.resolve(data.user);
		return data;
	})();
	sessionPromise.catch(() => { sessionPromise = null; });
	return sessionPromise;
}

async function csrf(refresh) {
	if (csrfToken && !refresh)
		return csrfToken;
	const s = await session({ refresh: true });
	return s ? s.csrf_token : null;
}

export async function api(method, path, opts = {}) {
	const { body, etag, query, headers: extra, redirect = true } = opts;
	const write = method !== 'GET' && method !== 'HEAD';

	for (let attempt = 0; ; attempt++) {
		const headers = { Accept: 'application/json', ...(extra || {}) };
		if (body !== undefined)
			headers['Content-Type'] = 'application/json';
		if (etag)
			headers['If-Match'] = etag;
		if (write) {
			const t = await csrf(attempt > 0);
			if (t)
				headers['X-CSRF-Token'] = t;
		}
		let resp;
		try {
			resp = await fetch(buildUrl(path, query), {
				method,
				headers,
				credentials: 'same-origin',
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		} catch (e) {
			throw new ApiError(0, null);
		}
		const data = await readBody(resp);
		if (resp.ok)
			return { status: resp.status, data, etag: resp.headers.get('ETag'),
			    headers: resp.headers };
		const problem = data && typeof data === 'object' ? data : null;
		const err = new ApiError(resp.status, problem);
		if (resp.status === 403 && err.kind === 'csrf' && write &&
		    attempt === 0)
			continue;
		if (resp.status === 401 && redirect) {
			csrfToken = null;
			sessionPromise = mePromise = null;
			location.assign(loginUrl());
		}
		throw err;
	}
}

// The signed-in user (GET /api/v1/me, cached): {name, role, email, tz?}.
export function me() {
	if (!mePromise) {
		mePromise = api('GET', '/api/v1/me').then((r) => r.data);
		mePromise.catch(() => { mePromise = null; });
	}
	return mePromise;
}

// POST /api/v1/session. Resolves {user, csrf_token}; throws ApiError
// (401 invalid-credentials, 429 too-many-attempts with err.retryAfter
// seconds) and never redirects.
export async function signIn(username, password) {
	let resp;
	try {
		resp = await fetch('/api/v1/session', {
			method: 'POST',
			credentials: 'same-origin',
			headers: { Accept: 'application/json',
			    'Content-Type': 'application/json' },
			body: JSON.stringify({ username, password }),
		});
	} catch (e) {
		throw new ApiError(0, null);
	}
	const data = await readBody(resp);
	if (!resp.ok) {
		const err = new ApiError(resp.status,
		    data && typeof data === 'object' ? data : null);
		const ra = resp.headers.get('Retry-After');
		err.retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) : null;
		throw err;
	}
	csrfToken = data.csrf_token;
	sessionPromise = Promise.resolve(data);
	mePromise = Promise.resolve(data.user);
	return data;
}

// DELETE /api/v1/session, then forget the cached session.
export async function signOut() {
	try {
		await api('DELETE', '/api/v1/session', { redirect: false });
	} finally {
		csrfToken = null;
		sessionPromise = mePromise = null;
	}
}
