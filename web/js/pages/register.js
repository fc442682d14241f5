// register.html: the breach register (UK GDPR Art. 33(5)) for leadership.
//
// The rows come from GET /api/v1/register?format=json for the date range
// (the server filters by discovered_at; the dates are days in the user's
// zone, sent as the instants they begin and end); status, risk and cause
// filter the
// rows here. The filters and the sort live in the query string, so a view
// can be bookmarked or sent on. Exports link to the same endpoint in CSV,
// JSON and a printable HTML page.

import { api, me } from '../api.js';
import { clearProblems, dayEnd, dayRangeHint, dayStart, h, mountShell,
	replace, setTitle, showProblem, userZone } from '../ui.js';
import { CAUSES, RISKS, STATUSES, label, riskLabel } from '../labels.js';
import { sortableTable } from '../sorttable.js';

mountShell('register');
setTitle('Breach register');

const form = document.getElementById('filters');
const count = document.getElementById('count');
const holder = document.getElementById('register');
const exportList = document.getElementById('export-links');

const RISK_ORDER = { high: 3, risk: 2, unlikely: 1 };
const RISK_FILTER = { ...RISKS, none: riskLabel(null) };
const NUM = new Intl.NumberFormat('en-GB');
const FILTERS = ['from', 'to', 'status', 'risk', 'cause'];

let zone;
// Whether the user's role may open an incident (the admin may read the
// register but not the incidents): the reference links to it only then.
let canOpen = false;
let entries = [];
let loadedRange = null;

function field(name) {
	return form.elements.namedItem(name);
}

function fill(select, table) {
	for (const [value, text] of Object.entries(table))
		select.append(h('option', { value }, text));
}

fill(field('status'), STATUSES);
fill(field('risk'), RISK_FILTER);
fill(field('cause'), CAUSES);

// "26 Nov 2026, 15:30" in the user's zone; '' for null.
function shortTime(iso) {
	if (!iso)
		return '';
	return new Intl.DateTimeFormat('en-GB', { day: 'numeric',
	    month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
	    timeZone: zone }).format(new Date(iso));
}

function timeCell(iso) {
	if (!iso)
		return h('span', { class: 'muted' }, 'Not set');
	return h('time', { datetime: iso }, shortTime(iso));
}

function obligationText(o) {
	let state = label({ pending: 'pending', met: 'met', missed: 'missed',
	    not_required: 'not required', waived: 'waived' }, o.state);
	if (o.state === 'met' && o.met_at)
		state += o.met_at > o.due_at ? ' late' : ' on time';
	if (o.state === 'pending')
		state += `, due ${shortTime(o.due_at)}`;
	return `${o.recipient}: ${state}`;
}

const COLUMNS = [
	{ key: 'ref', label: 'Reference', value: (e) => e.id,
	    cell: (e) => canOpen ? h('a', { href: `/incident.html?id=${e.id}` },
		e.ref) : h('span', { class: 'mono' }, e.ref) },
	{ key: 'title', label: 'Title', value: (e) => e.title, cls: 'col-wide',
	    cell: (e) => h('span', { class: 'title' }, e.title) },
	{ key: 'status', label: 'Status', value: (e) => STATUSES[e.status],
	    cell: (e) => label(STATUSES, e.status) },
	{ key: 'cause', label: 'Cause', value: (e) => e.cause ?
	    CAUSES[e.cause] : null,
	    cell: (e) => e.cause ? label(CAUSES, e.cause) :
		h('span', { class: 'muted' }, 'Not recorded') },
	{ key: 'risk', label: 'Risk', first: 'descending',
	    value: (e) => RISK_ORDER[e.risk] || null,
	    cell: (e) => h('span', { class: `badge risk-${e.risk || 'none'}` },
		riskLabel(e.risk)) },
	{ key: 'discovered', label: 'Discovered', first: 'descending',
	    value: (e) => e.discovered_at, cell: (e) => timeCell(e.discovered_at) },
	{ key: 'aware', label: 'Aware', first: 'descending',
	    value: (e) => e.aware_at, cell: (e) => timeCell(e.aware_at) },
	{ key: 'people', label: 'People affected', numeric: true,
	    first: 'descending', value: (e) => e.subjects_count,
	    cell: (e) => e.subjects_count === null ?
		h('span', { class: 'muted' }, 'Unknown') :
		NUM.format(e.subjects_count) },
	{ key: 'obligations', label: 'Notifications', cls: 'col-wide',
	    cell: (e) => e.obligations.length === 0 ?
		h('span', { class: 'muted' }, 'None owed') :
		h('ul', { class: 'plain' }, e.obligations.map((o) =>
		    h('li', { class: `ob ob-${o.state}` }, obligationText(o)))) },
];

function currentQuery() {
	return new URLSearchParams(location.search);
}

function sortFromQuery(q) {
	const s = q.get('sort') || '-discovered';
	const key = s.replace(/^-/, '');
	if (!COLUMNS.some((c) => c.key === key && c.value))
		return { key: 'discovered', dir: 'descending' };
	return { key, dir: s.startsWith('-') ? 'descending' : 'ascending' };
}

function writeQuery(values, sort) {
	const q = new URLSearchParams();
	for (const k of FILTERS) {
		if (values[k])
			q.set(k, values[k]);
	}
	if (sort)
		q.set('sort', (sort.dir === 'descending' ? '-' : '') + sort.key);
	const s = q.toString();
	history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

function formValues() {
	const v = {};
	for (const k of FILTERS)
		v[k] = field(k).value;
	return v;
}

const table = sortableTable({
	caption: 'Incidents in the register',
	columns: COLUMNS,
	sort: sortFromQuery(currentQuery()),
	empty: 'No incident matches these filters.',
	onSort: (s) => writeQuery(formValues(), s),
});
replace(holder, table.el);

function exportUrl(fmt, from, to) {
	const q = new URLSearchParams();
	if (from)
		q.set('from', dayStart(from, zone));
	if (to)
		q.set('to', dayEnd(to, zone));
	q.set('format', fmt);
	return `/api/v1/register?${q}`;
}

function showExports(from, to) {
	replace(exportList,
	    h('li', {}, h('a', { class: 'button secondary', download:
		'breach-register.csv', href: exportUrl('csv', from, to) },
		'Download CSV', h('span', { class: 'sr-only' },
		    ' of the breach register'))),
	    h('li', {}, h('a', { class: 'button secondary', download:
		'breach-register.json', href: exportUrl('json', from, to) },
		'Download JSON', h('span', { class: 'sr-only' },
		    ' of the breach register'))),
	    h('li', {}, h('a', { class: 'button secondary',
		href: exportUrl('html', from, to) },
		'Printable page', h('span', { class: 'sr-only' },
		    ' of the breach register'))));
}

function rangeText(from, to) {
	if (from && to)
		return ` discovered from ${from} to ${to}`;
	if (from)
		return ` discovered on or after ${from}`;
	if (to)
		return ` discovered on or before ${to}`;
	return '';
}

function show() {
	const v = formValues();
	const rows = entries.filter((e) =>
		(!v.status || e.status === v.status) &&
		(!v.risk || (e.risk || 'none') === v.risk) &&
		(!v.cause || (e.cause || 'not_recorded') === v.cause));
	table.setRows(rows);
	const n = entries.length;
	const what = `${n} incident${n === 1 ? '' : 's'}${rangeText(v.from, v.to)}`;
	count.textContent = rows.length === n ? `${what}.` :
	    `Showing ${rows.length} of ${what}.`;
}

async function load() {
	const v = formValues();
	clearProblems(form);
	showExports(v.from, v.to);
	const range = `${v.from}|${v.to}`;
	if (range !== loadedRange) {
		count.textContent = 'Loading the register…';
		try {
			const r = await api('GET', '/api/v1/register', {
				query: { from: dayStart(v.from, zone),
				    to: dayEnd(v.to, zone),
				    format: 'json' },
			});
			entries = r.data.items;
			loadedRange = range;
		} catch (err) {
			count.textContent = 'The register could not be loaded.';
			showProblem(form, err,
			    err.field === 'from' || err.field === 'to' ?
				err.field : undefined);
			return;
		}
	}
	show();
}

form.addEventListener('submit', (ev) => {
	ev.preventDefault();
	writeQuery(formValues(), table.sort());
	load();
});

form.addEventListener('reset', () => {
	// After the browser has cleared the fields.
	setTimeout(() => {
		writeQuery(formValues(), table.sort());
		load();
	}, 0);
});

async function start() {
	const q = currentQuery();
	for (const k of FILTERS) {
		const val = q.get(k);
		const el = field(k);
		if (val && (el.tagName !== 'SELECT' ||
		    [...el.options].some((o) => o.value === val)))
			el.value = val;
	}
	try {
		const user = await me();
		zone = userZone(user);
		canOpen = ['reporter', 'handler', 'dpo', 'viewer']
		    .includes(user.role);
	} catch (err) {
		zone = userZone(null);
	}
	dayRangeHint(['from', 'to'], zone);
	await load();
}

start();
