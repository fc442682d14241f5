// reports.html: the figures leadership asks for, from GET /api/v1/reports.
//
// Each figure is shown three ways: a key number with a sentence, a chart
// (inline SVG from charts.js, titled and described for screen readers),
// and a table with the same numbers (the accessible equivalent, and what a
// board reads in the printed pack). The period lives in the query string;
// its dates are days in the user's zone, sent to the API as the instants
// they begin and end (ui.js dayStart, dayEnd), and the API counts
// incidents by month in that zone too (`tz`; UTC if the server does not
// know the zone).
// Printing (leadership-print.css) gives an A4 pack: a title page with the
// period, then one section per page.

import { api, me } from '../api.js';
import { clearProblems, dayEnd, dayRangeHint, dayStart, formatDateTime, h,
	humanize, mountShell, replace, setTitle, showProblem, userZone }
	from '../ui.js';
import { CAUSES, STATUSES, label, riskLabel } from '../labels.js';
import { barChart, columnChart } from '../charts.js';

mountShell('reports');
setTitle('Reports');

const form = document.getElementById('range');
const period = document.getElementById('period');
const holder = document.getElementById('report');

const NUM = new Intl.NumberFormat('en-GB');
const HOURS = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const PCT = new Intl.NumberFormat('en-GB', { style: 'percent',
	maximumFractionDigits: 1 });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short',
	year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric',
	month: 'long', year: 'numeric', timeZone: 'UTC' });

const RISK_LABELS = { high: 'High risk', risk: 'Risk', unlikely: 'Unlikely' };
const RISK_ORDER = ['high', 'risk', 'unlikely', 'none'];
const OUTCOMES = [
	['met_on_time', 'Met on time'],
	['met_late', 'Met late'],
	['missed', 'Missed (overdue)'],
	['pending', 'Pending, not yet due'],
	['waived', 'Waived'],
	['not_required', 'Not required'],
];

let zone;
let monthZone; // the zone by_month was counted in
let regimeNames = {};

function field(name) {
	return form.elements.namedItem(name);
}

function monthLabel(ym) {
	const [y, m] = ym.split('-').map(Number);
	return MONTH.format(new Date(Date.UTC(y, m - 1, 1)));
}

function dayLabel(ymd) {
	const [y, m, d] = ymd.split('-').map(Number);
	return DAY.format(new Date(Date.UTC(y, m - 1, d)));
}

function hours(v) {
	return v === null || v === undefined ? 'None yet' :
	    `${HOURS.format(v)} h`;
}

// A table with a caption, header row and rows of cells; the first cell of
// each row is its header.
let captionSeq = 0;

function dataTable(caption, headers, rows, { numeric = [] } = {}) {
	const cid = `cap-${++captionSeq}`;
	return h('div', { class: 'table-wrap', 'data-caption': cid },
	    h('table', { class: 'data' },
	    h('caption', { id: cid }, caption),
	    h('thead', {}, h('tr', {}, headers.map((t, i) =>
		h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null },
		    t)))),
	    h('tbody', {}, rows.length === 0 ?
		h('tr', {}, h('td', { colspan: headers.length, class: 'empty' },
		    'No incidents in this period.')) :
		rows.map((r) => h('tr', {}, r.map((c, i) => i === 0 ?
		    h('th', { scope: 'row' }, c) :
		    h('td', { class: numeric.includes(i) ? 'num' : null }, c)))))));
}

// A table wider than the screen scrolls in its wrapper; then the wrapper
// must take keyboard focus (so arrow keys scroll it) and be named.
function markScrollable() {
	for (const w of holder.querySelectorAll('.table-wrap')) {
		if (w.scrollWidth > w.clientWidth + 1) {
			w.setAttribute('tabindex', '0');
			w.setAttribute('role', 'region');
			w.setAttribute('aria-labelledby', w.dataset.caption);
		} else {
			w.removeAttribute('tabindex');
			w.removeAttribute('role');
			w.removeAttribute('aria-labelledby');
		}
	}
}

let resizing = false;
window.addEventListener('resize', () => {
	if (resizing)
		return;
	resizing = true;
	requestAnimationFrame(() => {
		resizing = false;
		markScrollable();
	});
});

function section(id, title, intro, ...body) {
	return h('section', { class: 'report-section', id,
	    'aria-labelledby': `${id}-h` },
	    h('h2', { id: `${id}-h` }, title),
	    intro ? h('p', { class: 'section-intro' }, intro) : null, ...body);
}

function figure(svg, caption) {
	return h('figure', { class: 'chart-figure' }, svg,
	    h('figcaption', {}, caption));
}

function share(n, total) {
	return total > 0 ? PCT.format(n / total) : '–';
}

function rangeText() {
	const from = field('from').value, to = field('to').value;
	if (from && to)
		return `Incidents discovered from ${dayLabel(from)} to ${dayLabel(to)}`;
	if (from)
		return `Incidents discovered on or after ${dayLabel(from)}`;
	if (to)
		return `Incidents discovered up to ${dayLabel(to)}`;
	return 'All incidents on record';
}

function keyFigures(rep) {
	const inc = rep.incidents, ppl = rep.people, ob = rep.obligations;
	const ico = rep.notice_times.ico;
	const notBreach = (inc.by_status.find((s) => s.status ===
	    'not_a_breach') || { count: 0 }).count;
	const due = ob.met_on_time + ob.met_late + ob.missed;
	const item = (id, what, fig, note) => h('li', { id },
	    h('span', { class: 'what' }, what),
	    h('span', { class: 'figure' }, fig),
	    h('span', { class: 'note' }, note));
	return h('ul', { class: 'key-figures' },
	    item('fig-incidents', 'Incidents', NUM.format(inc.total),
		notBreach ? `${NUM.format(notBreach)} found not to be a breach.` :
		'Every incident logged, suspected or confirmed.'),
	    item('fig-people', 'People affected', NUM.format(ppl.subjects_total),
		`Across ${NUM.format(ppl.incidents_with_count)} incident` +
		`${ppl.incidents_with_count === 1 ? '' : 's'} with a count; ` +
		`${NUM.format(ppl.incidents_unknown_count)} not yet known.`),
	    item('fig-ontime', 'Deadlines met on time',
		ob.met_on_time_share === null ? 'None due yet' :
		PCT.format(ob.met_on_time_share),
		`${NUM.format(ob.met_on_time)} of ${NUM.format(due)} that fell ` +
		`due; ${NUM.format(ob.met_late)} late, ${NUM.format(ob.missed)} ` +
		`missed, ${NUM.format(ob.pending)} not yet due.`),
	    item('fig-ico', 'Median time to tell the ICO', hours(ico.median_hours),
		ico.count === 0 ? 'No ICO notice in this period.' :
		`From awareness, over ${NUM.format(ico.count)} notice` +
		`${ico.count === 1 ? '' : 's'}; 90th percentile ` +
		`${hours(ico.p90_hours)}. The legal limit is 72 h.`));
}

function monthSection(rep) {
	const data = rep.incidents.by_month.map((m) => ({
		label: monthLabel(m.month), lines: monthLabel(m.month).split(' '),
		value: m.count }));
	return section('by-month', 'Incidents by month',
	    `By the month the incident was discovered (${monthZone}).`,
	    h('div', { class: 'chart-pair' },
		figure(columnChart({ title: 'Incidents by month', data,
		    format: (v) => NUM.format(v) }),
		    'Bars: incidents discovered each month.'),
		dataTable('Incidents by month', ['Month', 'Incidents'],
		    data.map((d) => [d.label, NUM.format(d.value)]),
		    { numeric: [1] })));
}

function countSection(id, title, intro, items, labelOf, total) {
	const data = items.map((it) => ({ label: labelOf(it), value: it.count }));
	return section(id, title, intro,
	    h('div', { class: 'chart-pair' },
		figure(barChart({ title, data, format: (v) => NUM.format(v) }),
		    'Bars: number of incidents.'),
		dataTable(title, [title.replace(/^Incidents by /, '')
		    .replace(/^./, (c) => c.toUpperCase()), 'Incidents', 'Share'],
		    data.map((d) => [d.label, NUM.format(d.value),
			share(d.value, total)]), { numeric: [1, 2] })));
}

function obligationSection(rep) {
	const ob = rep.obligations;
	const data = OUTCOMES.map(([k, t]) => ({ label: t, value: ob[k] }));
	return section('deadlines', 'Notification deadlines',
	    'Every notification owed under a regime (each phase counts), by ' +
	    'outcome. "Met on time" is the share of those that fell due.',
	    h('div', { class: 'chart-pair' },
		figure(barChart({ title: 'Notification deadlines by outcome',
		    data, format: (v) => NUM.format(v) }),
		    'Bars: number of obligations.'),
		dataTable('Notification deadlines by outcome',
		    ['Outcome', 'Obligations'],
		    [...data.map((d) => [d.label, NUM.format(d.value)]),
			['Total', NUM.format(ob.total)]], { numeric: [1] })));
}

function noticeSection(rep) {
	const nt = rep.notice_times;
	const classes = nt.by_recipient_class.filter((c) => c.count > 0);
	const chartData = classes.filter((c) => c.median_hours !== null)
	    .map((c) => ({ label: humanize(c.notify), value: c.median_hours }));
	return section('notice-times', 'Time from awareness to notice',
	    'Hours from the moment the organisation became aware of a breach ' +
	    'to the first notice sent to each recipient. Median and 90th ' +
	    'percentile (nearest rank).',
	    h('div', { class: 'chart-pair' },
		figure(barChart({ title: 'Median hours to notice, by recipient',
		    data: chartData, format: (v) => `${HOURS.format(v)} h` }),
		    'Bars: median hours from awareness to notice.'),
		dataTable('Hours to notice, by recipient',
		    ['Recipient', 'Notices', 'Median', '90th percentile'],
		    classes.map((c) => [humanize(c.notify), NUM.format(c.count),
			hours(c.median_hours), hours(c.p90_hours)]),
		    { numeric: [1, 2, 3] })),
	    dataTable('Hours to notice, by regime',
		['Regime', 'Notices', 'Median', '90th percentile'],
		nt.by_regime.filter((g) => g.count > 0).map((g) => [
		    regimeNames[g.regime_id] || g.regime_id, NUM.format(g.count),
		    hours(g.median_hours), hours(g.p90_hours)]),
		{ numeric: [1, 2, 3] }));
}

function render(rep) {
	const total = rep.incidents.total;
	const risks = RISK_ORDER.map((r) => rep.incidents.by_risk.find((x) =>
	    x.risk === r)).filter(Boolean);
	replace(holder,
	    section('summary', 'Summary', null, keyFigures(rep)),
	    monthSection(rep),
	    countSection('by-cause', 'Incidents by cause',
		'What caused each breach, after the ICO\u2019s breach types.',
		rep.incidents.by_cause, (c) => label(CAUSES, c.cause), total),
	    countSection('by-risk', 'Incidents by risk',
		'The latest risk decision for each incident.',
		risks, (r) => riskLabel(r.risk, RISK_LABELS), total),
	    countSection('by-status', 'Incidents by status',
		'Where each incident stands now.',
		rep.incidents.by_status, (s) => label(STATUSES, s.status), total),
	    obligationSection(rep),
	    noticeSection(rep));
	const text = rangeText();
	period.textContent = `${text}: ${NUM.format(total)} incident` +
	    `${total === 1 ? '' : 's'}.`;
	markScrollable();
	document.getElementById('print-range').textContent = text;
	document.getElementById('print-generated').textContent =
	    `Figures as at ${formatDateTime(rep.generated_at, zone)}`;
}

async function load() {
	clearProblems(form);
	period.textContent = 'Loading the figures…';
	const from = field('from').value, to = field('to').value;
	const query = { from: dayStart(from, zone), to: dayEnd(to, zone),
		tz: zone };
	try {
		let r;
		try {
			r = await api('GET', '/api/v1/reports', { query });
		} catch (err) {
			// A zone the browser knows but the server does not.
			if (err.field !== 'tz')
				throw err;
			r = await api('GET', '/api/v1/reports',
			    { query: { ...query, tz: undefined } });
			query.tz = 'UTC';
		}
		monthZone = query.tz;
		render(r.data);
	} catch (err) {
		period.textContent = 'The figures could not be loaded.';
		replace(holder);
		showProblem(form, err, err.field === 'from' || err.field === 'to' ?
		    err.field : undefined);
	}
}

function writeQuery() {
	const q = new URLSearchParams();
	for (const k of ['from', 'to']) {
		if (field(k).value)
			q.set(k, field(k).value);
	}
	const s = q.toString();
	history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

form.addEventListener('submit', (ev) => {
	ev.preventDefault();
	writeQuery();
	load();
});

document.getElementById('print').addEventListener('click', () =>
	window.print());

async function start() {
	const q = new URLSearchParams(location.search);
	for (const k of ['from', 'to']) {
		if (/^\d{4}-\d{2}-\d{2}$/.test(q.get(k) || ''))
			field(k).value = q.get(k);
	}
	try {
		zone = userZone(await me());
	} catch (err) {
		zone = userZone(null);
	}
	dayRangeHint(['from', 'to'], zone);
	// Regime names for the table of notice times; ids will do without.
	try {
		const r = await api('GET', '/api/v1/regimes');
		regimeNames = Object.fromEntries(r.data.items.map((g) =>
		    [g.id, g.name]));
	} catch (err) {
		regimeNames = {};
	}
	await load();
}

start();
