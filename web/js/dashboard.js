// dashboard.js (loaded by pages/index.js once someone is signed in): every
// pending obligation of the open incidents with a live countdown (overdue
// first), and the open incidents, filtered by status, risk, regime and
// assignee. A reporter sees their own reports instead.

import { api, me } from './api.js';
import { badge, countdownEl, formatDateTime, h, mountShell, replace,
	timeEl, toast, userZone } from './ui.js';
import { RISKS, STATUSES, label, riskLabel } from './labels.js';

mountShell('dashboard');
const content = document.getElementById('content');
const OPEN = ['suspected', 'investigating', 'confirmed', 'contained'];
const FILTERS = ['status', 'risk', 'regime_id', 'assignee'];

let tz;
let user;
const seenAssignees = new Set();
// Regimes met so far in the obligations (id -> name): the regime filter
// offers the ones in play, not the whole catalogue.
const seenRegimes = new Map();

function filtersFromUrl() {
	const q = new URLSearchParams(location.search);
	const f = {};
	for (const k of FILTERS)
		f[k] = q.get(k) || '';
	return f;
}

function select(name, text, options, value) {
	const id = `f-${name}`;
	return h('div', { class: 'field' },
	    h('label', { for: id }, text),
	    h('select', { id, name, value },
		options.map(([v, t]) => h('option', { value: v }, t))));
}

function assigneeOptions(current) {
	const opts = [['', 'Anyone'], ['me', 'Me'], ['none', 'Unassigned']];
	for (const a of [...seenAssignees].sort())
		if (a !== user.name)
			opts.push([a, a]);
	if (current && !opts.some(([v]) => v === current))
		opts.push([current, current]);
	return opts.map(([v, t]) => h('option', { value: v }, t));
}

function regimeOptions(current) {
	const opts = [['', 'Any regime'], ...[...seenRegimes].sort((a, b) =>
		a[1].localeCompare(b[1]))];
	if (current && !seenRegimes.has(current))
		opts.push([current, current]);
	return opts.map(([v, t]) => h('option', { value: v }, t));
}

// The filter form, built once; a change reloads the lists in place (the
// focus stays where it is) and keeps the filters in the address.
function filterForm(f) {
	const form = h('form', { class: 'filters', role: 'search',
	    'aria-label': 'Filter the dashboard', action: '/', method: 'get' },
	    select('status', 'Status', [['', 'Any open status'],
		...Object.entries(STATUSES)], f.status),
	    select('risk', 'Risk decision', [['', 'Any'],
		['none', riskLabel(null)], ...Object.entries(RISKS)], f.risk),
	    select('regime_id', 'Regime', [], f.regime_id),
	    select('assignee', 'Assigned to', [], f.assignee),
	    h('div', { class: 'field' },
		h('button', { type: 'submit', class: 'secondary' }, 'Apply')));
	replace(form.elements.assignee, assigneeOptions(f.assignee));
	form.elements.assignee.value = f.assignee;
	replace(form.elements.regime_id, regimeOptions(f.regime_id));
	form.elements.regime_id.value = f.regime_id;
	const apply = (ev) => {
		if (ev)
			ev.preventDefault();
		const q = new URLSearchParams();
		for (const k of FILTERS)
			if (form.elements[k].value)
				q.set(k, form.elements[k].value);
		const s = q.toString();
		history.replaceState(null, '', s ? `/?${s}` : '/');
		load().catch(failed);
	};
	form.addEventListener('submit', apply);
	form.addEventListener('change', () => apply());
	return form;
}

function incidentLink(inc) {
	return h('a', { href: `/incident.html?id=${encodeURIComponent(inc.id)}` },
	    h('span', { class: 'mono' }, inc.ref), ' ', inc.title);
}

function obligationCard(o) {
	const inc = o.incident;
	return h('li', { class: 'card' },
	    h('div', {}, countdownEl(o.due_at)),
	    h('h3', {}, o.regime_name,
		o.phase !== 'notification' ? ` — ${o.phase_name}` : ''),
	    h('p', { class: 'meta' },
		h('span', {}, 'Tell: ', o.recipient),
		h('span', {}, 'Due ', timeEl(o.due_at, tz),
		    o.target ? ' (our target: the law says "without undue ' +
		    'delay")' : '')),
	    h('p', { class: 'meta' }, incidentLink(inc),
		badge('status', inc.status), badge('risk', inc.risk),
		h('span', {}, inc.assignee ? `Assigned to ${inc.assignee}` :
		    'Unassigned')));
}

function incidentCard(inc) {
	return h('li', { class: 'card' },
	    h('h3', {}, incidentLink(inc)),
	    h('p', { class: 'meta' },
		h('span', {}, 'Status: ', badge('status', inc.status)),
		h('span', {}, 'Risk: ', badge('risk', inc.risk)),
		h('span', {}, inc.assignee ? `Assigned to ${inc.assignee}` :
		    'Unassigned'),
		h('span', {}, 'Noticed ', timeEl(inc.discovered_at, tz))),
	    inc.next_due_at ? h('p', {}, 'Next deadline: ',
		countdownEl(inc.next_due_at)) : null);
}

// Soonest deadline first (overdue ones first of all), then newest.
function byUrgency(a, b) {
	if (a.next_due_at && b.next_due_at)
		return a.next_due_at < b.next_due_at ? -1 :
		    a.next_due_at > b.next_due_at ? 1 : b.id - a.id;
	if (a.next_due_at || b.next_due_at)
		return a.next_due_at ? -1 : 1;
	return b.id - a.id;
}

async function fetchAll(path, query, cap = 1000) {
	const items = [];
	let cursor = null;
	do {
		const r = await api('GET', path, { query: { ...query,
		    limit: 200, cursor } });
		items.push(...r.data.items);
		cursor = r.data.next_cursor;
	} while (cursor && items.length < cap);
	return { items, more: Boolean(cursor) };
}

let loading = 0;
const filterSlot = h('div', {});
const dueSection = h('section', { 'aria-labelledby': 'due-h' });
const incSection = h('section', { 'aria-labelledby': 'inc-h' });
const updated = h('p', { class: 'muted', role: 'status' });

async function load() {
	const seq = ++loading;
	const f = filtersFromUrl();
	const query = { risk: f.risk, regime_id: f.regime_id,
	    assignee: f.assignee, status: f.status };
	const [due, incs] = await Promise.all([
		fetchAll('/api/v1/obligations', { ...query, state: 'pending' }),
		fetchAll('/api/v1/incidents', query),
	]);
	if (seq !== loading)
		return;
	const open = incs.items.filter((i) => f.status || OPEN.includes(i.status))
	    .sort(byUrgency);
	for (const i of incs.items)
		if (i.assignee)
			seenAssignees.add(i.assignee);
	for (const o of due.items)
		seenRegimes.set(o.regime_id, o.regime_name);
	const overdue = due.items.filter((o) => new Date(o.due_at) < new Date())
	    .length;
	replace(dueSection,
	    h('h2', { id: 'due-h' }, 'Deadlines'),
	    h('p', {}, due.items.length === 0 ? 'No notification is owed ' +
		'right now for the incidents shown.' :
		`${due.items.length} notification${due.items.length === 1 ?
		    '' : 's'} owed, ${overdue} overdue. Overdue ones come ` +
		'first.'),
	    due.items.length ? h('ul', { class: 'cards', 'aria-label':
		'Deadlines, soonest first' }, due.items.map(obligationCard)) :
		null,
	    due.more ? h('p', { class: 'muted' }, 'Only the first 1000 are ' +
		'shown; narrow the filters to see the rest.') : null);
	replace(incSection,
	    h('h2', { id: 'inc-h' }, f.status ? `Incidents: ${label(STATUSES,
		f.status)}` : 'Open incidents'),
	    open.length === 0 ? h('p', {}, 'No incident matches.') :
		h('ul', { class: 'cards' }, open.map(incidentCard)),
	    f.status ? null : h('p', { class: 'muted' }, 'Closed incidents ' +
		'and those found not to be a breach are in the ',
		h('a', { href: '/register.html' }, 'register'), '.'));
	updated.textContent = `Updated ${formatDateTime(
	    new Date().toISOString(), tz)}.`;
	const sel = filterSlot.querySelector('select[name="assignee"]');
	if (sel && sel.options.length !== assigneeOptions(f.assignee).length) {
		replace(sel, assigneeOptions(f.assignee));
		sel.value = f.assignee;
	}
	const rsel = filterSlot.querySelector('select[name="regime_id"]');
	if (rsel && rsel.options.length !== regimeOptions(f.regime_id).length) {
		replace(rsel, regimeOptions(f.regime_id));
		rsel.value = f.regime_id;
	}
}

// A reporter: their own reports, newest first, and the way to a new one.
async function loadReporter() {
	document.getElementById('lede').textContent = 'The breaches you ' +
	    'reported, and how they are going.';
	const { items } = await fetchAll('/api/v1/incidents', {});
	replace(content,
	    h('p', {}, h('a', { class: 'button', href: '/report.html' },
		'Report a suspected breach')),
	    h('section', { 'aria-labelledby': 'mine-h' },
		h('h2', { id: 'mine-h' }, 'Your reports'),
		items.length === 0 ? h('p', {}, 'You have not reported ' +
		    'anything yet.') :
		    h('ul', { class: 'cards' }, items.map((inc) =>
			h('li', { class: 'card' },
			    h('h3', {}, incidentLink(inc)),
			    h('p', { class: 'meta' },
				h('span', {}, 'Status: ',
				    badge('status', inc.status)),
				h('span', {}, 'Reported ',
				    timeEl(inc.created_at, tz))))))));
}

async function start() {
	user = await me();
	tz = userZone(user);
	if (user.role === 'admin') {
		location.replace('/admin.html');
		return;
	}
	if (user.role === 'reporter') {
		await loadReporter();
		return;
	}
	replace(filterSlot, filterForm(filtersFromUrl()));
	replace(content, filterSlot, updated, dueSection, incSection);
	await load();
	// Fresh figures every two minutes (the countdowns tick on their own).
	setInterval(() => load().catch(() => {}), 120e3);
}

function failed(err) {
	if (err.status === 401)
		return;
	replace(content, h('p', { class: 'form-error', role: 'alert' },
	    `The dashboard could not be loaded: ${err.message}`));
	toast('Loading failed.', 'error');
}

start().catch(failed);
