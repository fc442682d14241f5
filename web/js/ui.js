// ui.js: building the page, safely.
//
// h() is the only way pages make elements: text goes in through text nodes
// and attributes through setAttribute, so data from the server is never
// parsed as HTML (no innerHTML anywhere in web/). Times are shown in the
// signed-in user's time zone (their `tz`, else the browser's).

import { me, signOut } from './api.js';
import { riskLabel } from './labels.js';

const BOOL_PROPS = new Set(['checked', 'disabled', 'selected', 'hidden',
	'required', 'readonly', 'multiple', 'open']);
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction']);
const SAFE_URL = /^(?:[/?#.]|https?:|mailto:|blob:|data:image\/(?:png|gif|jpeg);)/i;

function append(el, child) {
	if (child === null || child === undefined || child === false)
		return;
	if (Array.isArray(child)) {
		for (const c of child)
			append(el, c);
		return;
	}
	if (child instanceof Node)
		el.appendChild(child);
	else
		el.appendChild(document.createTextNode(String(child)));
}

// h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child, [more]).
// Attributes: a function value for an on* name becomes an event listener;
// true/false for boolean attributes; null/undefined/false are left out;
// `value` sets the property too. A string on* attribute or a URL attribute
// with a scheme other than http(s), mailto, blob or an image data: URL
// throws.
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);

	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k.startsWith('on')) {
			if (typeof v !== 'function')
				throw new TypeError(`h: ${k} must be a function`);
			el.addEventListener(k.slice(2).toLowerCase(), v);
			continue;
		}
		if (URL_ATTRS.has(k) && !SAFE_URL.test(String(v)))
			throw new TypeError(`h: unsafe ${k}`);
		if (k === 'value') {
			el.value = String(v);
			if (tag !== 'select' && tag !== 'textarea')
				el.setAttribute('value', String(v));
			continue;
		}
		if (BOOL_PROPS.has(k)) {
			el.setAttribute(k, '');
			continue;
		}
		el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, children);
	if (tag === 'select' && attrs && attrs.value !== undefined &&
	    attrs.value !== null)
		el.value = String(attrs.value);
	return el;
}

// Replace el's children with the given ones.
export function replace(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

// ------------------------------------------------------------------ shell

// Links shown in the header, by role. (Pages add themselves here.)
export const NAV = [
	{ page: 'dashboard', href: '/', text: 'Dashboard',
	    roles: ['reporter', 'handler', 'dpo', 'viewer'] },
	{ page: 'report', href: '/report.html', text: 'Report a breach',
	    roles: ['reporter', 'handler', 'dpo'] },
	{ page: 'register', href: '/register.html', text: 'Register',
	    roles: ['handler', 'dpo', 'viewer'] },
	{ page: 'reports', href: '/reports.html', text: 'Reports',
	    roles: ['handler', 'dpo', 'viewer', 'admin'] },
	{ page: 'admin', href: '/admin.html', text: 'Admin', roles: ['admin'] },
	{ page: 'account', href: '/account.html', text: 'Account',
	    roles: ['reporter', 'handler', 'dpo', 'viewer', 'admin'] },
];

let toastRegion = null;

// Render the skip link, header (brand, navigation for the user's role,
// who is signed in, sign-out) and the toast region around the page's
// <main> (created if the page has none), and return that <main> at once;
// the navigation fills in when the user is known.
export function mountShell(activePage) {
	let main = document.querySelector('main');
	if (!main) {
		main = h('main', {});
		document.body.appendChild(main);
	}
	main.id = 'main';
	main.setAttribute('tabindex', '-1');
	if (document.querySelector('header.site'))
		return main;
	const nav = h('ul', { class: 'nav-links' });
	const who = h('span', { class: 'who' });
	const header = h('header', { class: 'site' },
	    h('a', { class: 'skip', href: '#main' }, 'Skip to main content'),
	    h('div', { class: 'bar' },
		h('a', { class: 'brand', href: '/' }, 'breachclock'),
		h('nav', { 'aria-label': 'Main' }, nav),
		h('div', { class: 'account' }, who,
		    h('button', { type: 'button', class: 'link signout',
			onclick: async () => {
				try {
					await signOut();
				} catch (e) {
					// Signed out already, or the server is
					// away: the sign-in page is right anyway.
				}
				location.assign('/login.html');
			} }, 'Sign out'))));
	document.body.insertBefore(header, document.body.firstChild);
	toastRegion = h('div', { class: 'toasts', role: 'status',
	    'aria-live': 'polite' });
	document.body.appendChild(toastRegion);
	me().then((user) => {
		for (const item of NAV) {
			if (!item.roles.includes(user.role))
				continue;
			const a = h('a', { href: item.href }, item.text);
			if (item.page === activePage)
				a.setAttribute('aria-current', 'page');
			nav.appendChild(h('li', {}, a));
		}
		replace(who, h('span', { class: 'sr-only' }, 'Signed in as '),
		    user.name, ' ', h('span', { class: 'role' }, `(${user.role})`));
	}).catch(() => {});
	return main;
}

// A short message in the polite live region (removed after 6 s).
export function toast(msg, kind = 'info') {
	if (!toastRegion) {
		toastRegion = h('div', { class: 'toasts', role: 'status',
		    'aria-live': 'polite' });
		document.body.appendChild(toastRegion);
	}
	const t = h('p', { class: `toast toast-${kind}` }, msg);
	toastRegion.appendChild(t);
	setTimeout(() => t.remove(), 6000);
	return t;
}

// ----------------------------------------------------------- form errors

let errSeq = 0;

// Remove the messages showProblem put into form.
export function clearProblems(form) {
	for (const el of form.querySelectorAll('.field-error, .form-error'))
		el.remove();
	for (const el of form.querySelectorAll('[aria-invalid]')) {
		el.removeAttribute('aria-invalid');
		const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/)
		    .filter((id) => id && !id.startsWith('err-'));
		if (ids.length)
			el.setAttribute('aria-describedby', ids.join(' '));
		else
			el.removeAttribute('aria-describedby');
	}
}

// Show err (an ApiError, or anything with a message) in form: next to the
// field the problem names (problem.field, or `field` given) with
// aria-invalid and aria-describedby, and focus it; else as an alert at the
// top of the form. Returns the message element.
export function showProblem(form, err, field) {
	clearProblems(form);
	const name = field || (err && err.problem && err.problem.field);
	let msg = (err && err.problem && err.problem.detail) ||
	    (err && err.message) || String(err);
	// The API's details start "<field>: "; the label already says which.
	if (name && msg.startsWith(`${name}: `)) {
		msg = msg.slice(name.length + 2);
		msg = msg.charAt(0).toUpperCase() + msg.slice(1);
	}
	let target = name ? form.querySelector(`[name="${CSS.escape(name)}"]`) :
	    null;
	if (target) {
		const id = `err-${++errSeq}`;
		const p = h('p', { class: 'field-error', id }, msg);
		const group = target.closest('fieldset, .field') || target;
		if (target.type === 'checkbox' || target.type === 'radio') {
			target = group.querySelector('input') || target;
			group.appendChild(p);
		} else {
			target.insertAdjacentElement('afterend', p);
		}
		for (const el of form.querySelectorAll(
		    `[name="${CSS.escape(name)}"]`)) {
			el.setAttribute('aria-invalid', 'true');
			const d = el.getAttribute('aria-describedby');
			el.setAttribute('aria-describedby', d ? `${d} ${id}` : id);
		}
		target.focus();
		return p;
	}
	const box = h('p', { class: 'form-error', role: 'alert' }, msg);
	form.insertBefore(box, form.firstChild);
	return box;
}

// ------------------------------------------------------------------ time

function zoneOk(tz) {
	if (!tz)
		return undefined;
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone: tz });
		return tz;
	} catch (e) {
		return undefined;
	}
}

// The zone to show times in: the user's tz if it is valid, else the
// browser's.
export function userZone(user) {
	return zoneOk(user && user.tz) ||
	    Intl.DateTimeFormat().resolvedOptions().timeZone;
}

// "Thu 26 Nov 2026, 15:30 GMT" in tz (an IANA name; the browser's when
// not given). '' for null.
export function formatDateTime(iso, tz) {
	if (!iso)
		return '';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime()))
		return String(iso);
	return new Intl.DateTimeFormat('en-GB', {
		weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
		hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
		timeZone: zoneOk(tz),
	}).format(d);
}

// A <time datetime=iso> showing formatDateTime(iso, tz).
export function timeEl(iso, tz) {
	if (!iso)
		return h('span', { class: 'muted' }, 'not set');
	return h('time', { datetime: iso }, formatDateTime(iso, tz));
}

function parts(ms, tz) {
	const f = new Intl.DateTimeFormat('en-US', {
		timeZone: zoneOk(tz), hourCycle: 'h23', year: 'numeric',
		month: '2-digit', day: '2-digit', hour: '2-digit',
		minute: '2-digit', second: '2-digit',
	});
	const o = {};
	for (const p of f.formatToParts(new Date(ms)))
		o[p.type] = p.value;
	return o;
}

function zoneOffset(ms, tz) {
	const p = parts(ms, tz);
	const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute,
	    +p.second);
	return asUtc - Math.floor(ms / 1000) * 1000;
}

// The value for <input type="datetime-local"> showing iso in tz.
export function toLocalInput(iso, tz) {
	if (!iso)
		return '';
	const p = parts(new Date(iso).getTime(), tz);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// The UTC instant ("...Z") of a datetime-local value read as a wall time
// in tz; null for '' or a malformed value. A wall time that a DST change
// skips or repeats resolves to the earlier offset's reading, the offset in
// force before the change: a repeated time is its first occurrence
// (London 2026-10-25T01:30 is 00:30Z, in BST), a skipped one reads as if
// the clocks had not yet changed (London 2026-03-29T01:30 is 01:30Z,
// which the clocks show as 02:30 BST).
export function fromLocalInput(value, tz) {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/
	    .exec(value || '');
	if (!m)
		return null;
	const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
	// The offsets a day either side: no zone changes twice in two days.
	const before = zoneOffset(wall - 24 * 3600e3, tz);
	const after = zoneOffset(wall + 24 * 3600e3, tz);
	const fits = (t) => zoneOffset(t, tz) === wall - t;
	const valid = [wall - before, wall - after].filter(fits);
	const t = valid.length ? Math.min(...valid) : wall - before;
	return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Date filters are days in the user's zone tz, while the API reads a bare
// date as a UTC day: dayStart(day, tz) is the first instant ("...Z") of
// day (YYYY-MM-DD) in tz, the API's `from`; dayEnd(day, tz) the last
// second of it there, the API's `to`. Anything else comes back as it is
// (the server says what is wrong with it).
export function dayStart(day, tz) {
	return /^\d{4}-\d{2}-\d{2}$/.test(day || '') ?
	    fromLocalInput(`${day}T00:00`, tz) || day : day;
}

export function dayEnd(day, tz) {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day || ''))
		return day;
	const next = new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1,
	    +day.slice(8, 10) + 1)).toISOString().slice(0, 10);
	const start = fromLocalInput(`${next}T00:00`, tz);
	return start ? new Date(Date.parse(start) - 1000).toISOString()
	    .replace(/\.\d{3}Z$/, 'Z') : day;
}

// The hint that says the date fields `ids` of a filter are days in zone
// tz, placed after the last one's field and describing each.
export function dayRangeHint(ids, tz) {
	const hint = h('p', { class: 'hint', id: 'range-zone' },
	    `Dates are days in your time zone (${tz}).`);
	document.getElementById(ids[ids.length - 1]).closest('.field')
	    .after(hint);
	for (const id of ids)
		document.getElementById(id).setAttribute('aria-describedby',
		    'range-zone');
	return hint;
}

// ---------------------------------------------------------------- numbers

// The whole number a person typed: digits, optionally grouped in
// thousands with commas or with spaces ("1,000", "1 000", "12,345,678");
// null for anything else (a decimal point or comma as in "1.5" or "1,5",
// a sign, separators out of place, more than 13 digits).
export function parseWhole(text) {
	const s = String(text ?? '').trim().replace(/[\u00a0\u202f]/g, ' ');
	if (!/^(\d+|\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+)$/.test(s))
		return null;
	const digits = s.replace(/[ ,]/g, '');
	return digits.length > 13 ? null : Number(digits);
}

const HOUR = 3600e3;

// Time left until iso at now (ms): {ms, overdue, level, label, text}.
// level: 'overdue' | 'h24' (under 24 h) | 'h72' (under 72 h) | 'ok'.
export function countdown(iso, now = Date.now()) {
	const ms = new Date(iso).getTime() - now;
	const overdue = ms < 0;
	const a = Math.abs(ms);
	const d = Math.floor(a / (24 * HOUR));
	const hr = Math.floor((a % (24 * HOUR)) / HOUR);
	const min = Math.floor((a % HOUR) / 60e3);
	let span;
	if (d > 0)
		span = `${d} d ${hr} h`;
	else if (hr > 0)
		span = `${hr} h ${min} min`;
	else
		span = `${min} min`;
	let level, label;
	if (overdue) {
		level = 'overdue';
		label = 'Overdue';
	} else if (ms < 24 * HOUR) {
		level = 'h24';
		label = 'Due within 24 h';
	} else if (ms < 72 * HOUR) {
		level = 'h72';
		label = 'Due within 72 h';
	} else {
		level = 'ok';
		label = 'On track';
	}
	const text = overdue ? `overdue by ${span}` : `${span} left`;
	return { ms, overdue, level, label, text };
}

const live = new Set();
let ticker = null;

function paint(el) {
	const c = countdown(el.dataset.due);
	el.className = `countdown tl-${c.level}`;
	el.firstChild.textContent = `${c.label}:`;
	el.lastChild.textContent = c.text;
}

// A badge "<label>: <time left>" for due iso, coloured by time left and
// kept up to date every 30 s while it is in the document.
export function countdownEl(iso) {
	const el = h('span', { class: 'countdown', 'data-due': iso },
	    h('span', { class: 'tl-label' }), ' ',
	    h('span', { class: 'tl-text' }));
	paint(el);
	live.add(el);
	if (!ticker)
		ticker = setInterval(() => {
			for (const e of live) {
				if (!e.isConnected && e.dataset.mounted)
					live.delete(e);
				else if (e.isConnected) {
					e.dataset.mounted = '1';
					paint(e);
				}
			}
		}, 30e3);
	return el;
}

// ------------------------------------------------------------- small bits

// "not_a_breach" -> "Not a breach".
export function humanize(s) {
	if (s === null || s === undefined)
		return '';
	const t = String(s).replace(/_/g, ' ');
	return t.charAt(0).toUpperCase() + t.slice(1);
}

// A <span class="badge ..."> for a status or risk value (a risk not yet
// decided reads as riskLabel() says).
export function badge(kind, value) {
	return h('span', { class: `badge ${kind}-${value || 'none'}` },
	    kind === 'risk' ? riskLabel(value) : humanize(value));
}

// The query string parameter name of the current page, or null.
export function param(name) {
	return new URLSearchParams(location.search).get(name);
}

// Set document.title to "<t> · breachclock".
export function setTitle(t) {
	document.title = `${t} · breachclock`;
}

// Offer text as a file download.
export function download(filename, text, type = 'text/plain') {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = h('a', { href: url, download: filename, hidden: true });
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10e3);
}
