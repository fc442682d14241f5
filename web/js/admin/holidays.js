// admin/holidays: the holiday calendars: list, view the dates, and import
// a file into a set.
// API: GET /api/v1/holiday-sets, GET/PUT /api/v1/holiday-sets/{id}.
//
// The import reads a JSON file in the browser: GOV.UK's whole
// bank-holidays.json (the division for the chosen set is taken from it),
// one division of it ({division, events}), or {name?, source?, dates}.
// The server checks every date; its problem is shown on the form.

import { api } from '../api.js';
import { clearProblems, formatDateTime, h, replace, showProblem,
	toast } from '../ui.js';
import { sortableTable } from '../sorttable.js';
import { field, fieldError, formDialog, rowButton } from './dialog.js';

const DIVISIONS = { 'gb-eaw': 'england-and-wales', 'gb-sct': 'scotland',
	'gb-ni': 'northern-ireland' };
const MAX_FILE = 1024 * 1024;
const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short',
	day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

let zone;
let table = null;
let sets = [];
let setSelect = null;

function day(ymd) {
	if (!ymd)
		return '';
	const [y, m, d] = ymd.split('-').map(Number);
	return DAY.format(new Date(Date.UTC(y, m - 1, d)));
}

async function view(s) {
	let full;
	try {
		full = (await api('GET',
		    `/api/v1/holiday-sets/${encodeURIComponent(s.id)}`)).data;
	} catch (err) {
		toast(err.message, 'error');
		return;
	}
	formDialog({
		title: `${full.name} (${full.id})`,
		wide: true,
		body: [
			h('p', {}, `${full.count} dates from ${day(full.first_date)} ` +
			    `to ${day(full.last_date)}. Source: ${full.source}. ` +
			    `Updated ${formatDateTime(full.updated_at, zone)}.`),
			h('div', { class: 'table-wrap dates', tabindex: '0',
			    role: 'region', 'aria-label': `Dates of ${full.name}` },
			    h('table', { class: 'data' },
				h('caption', {}, `Holidays in ${full.name}`),
				h('thead', {}, h('tr', {},
				    h('th', { scope: 'col' }, 'Date'),
				    h('th', { scope: 'col' }, 'Holiday'))),
				h('tbody', {}, full.dates.map((d) => h('tr', {},
				    h('td', {}, h('time', { datetime: d.date },
					day(d.date))), h('td', {}, d.title)))))),
		],
		submit: 'Close',
		cancel: false,
		onSubmit: async () => {},
	});
}

const COLUMNS = [
	{ key: 'id', label: 'Id', value: (s) => s.id,
	    cell: (s) => h('code', {}, s.id) },
	{ key: 'name', label: 'Name', value: (s) => s.name, cell: (s) => s.name },
	{ key: 'count', label: 'Dates', numeric: true, value: (s) => s.count,
	    cell: (s) => String(s.count) },
	{ key: 'range', label: 'From – to', value: (s) => s.first_date,
	    cell: (s) => s.count ? `${day(s.first_date)} – ${day(s.last_date)}` :
		h('span', { class: 'muted' }, 'Empty') },
	{ key: 'updated', label: 'Updated', value: (s) => s.updated_at,
	    cell: (s) => formatDateTime(s.updated_at, zone) },
	{ key: 'actions', label: 'Actions', cell: (s) =>
	    rowButton('View dates', `of ${s.name}`, () => view(s)) },
];

export async function load() {
	const r = await api('GET', '/api/v1/holiday-sets');
	sets = r.data.items;
	table.setRows(sets);
	if (setSelect) {
		const keep = setSelect.value;
		// Only these sets exist: the ones a regime's calendar can name
		// (the server's PUT replaces a set's dates, it makes none).
		replace(setSelect, sets.map((s) => h('option', { value: s.id },
		    `${s.name} (${s.id})`)));
		if ([...setSelect.options].some((o) => o.value === keep))
			setSelect.value = keep;
	}
}

// The request body for set id from the parsed file.
export function bodyFor(id, doc) {
	if (!doc || typeof doc !== 'object' || Array.isArray(doc))
		throw fieldError('file', 'The file is not a JSON object.');
	const division = DIVISIONS[id];
	let body;
	if (Array.isArray(doc.dates)) {
		body = { dates: doc.dates };
		if (doc.name)
			body.name = doc.name;
		if (doc.source)
			body.source = doc.source;
	} else if (Array.isArray(doc.events) && doc.division) {
		body = { division: doc.division, events: doc.events };
	} else if (division && doc[division] && Array.isArray(
	    doc[division].events)) {
		// GOV.UK's whole file: take this set's division.
		body = { division, events: doc[division].events };
	} else {
		throw fieldError('file', division ? 'The file has neither a ' +
		    `"${division}" division (GOV.UK's bank-holidays.json) nor ` +
		    'a list of "dates".' : 'The file has no list of "dates" ' +
		    '([{"date": "YYYY-MM-DD", "title": "..."}]).');
	}
	return body;
}

function importForm(holder) {
	const form = h('form', { method: 'post', action: '/admin.html',
	    novalidate: true, 'aria-labelledby': 'holiday-import-h',
	    class: 'panel' },
	    h('div', { class: 'inline-form' },
		field({ name: 'set', label: 'Calendar', type: 'select',
		    options: [] }),
		field({ name: 'file', label: 'File (JSON)', type: 'file',
		    hint: 'GOV.UK\u2019s bank-holidays.json, or ' +
		    '{"dates": [{"date": "YYYY-MM-DD", "title": "..."}]}. ' +
		    'The calendar\u2019s dates are replaced by the file\u2019s.',
		    attrs: { accept: '.json,application/json' } })),
	    h('div', { class: 'actions' }, h('button', { type: 'submit' },
		'Import')));
	setSelect = form.elements.namedItem('set');
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		try {
			const id = setSelect.value;
			const file = form.elements.namedItem('file').files[0];
			if (!file)
				throw fieldError('file', 'Choose a file.');
			if (file.size > MAX_FILE)
				throw fieldError('file', 'The file is larger than 1 MiB.');
			let doc;
			try {
				doc = JSON.parse(await file.text());
			} catch (err) {
				throw fieldError('file', `The file is not JSON ` +
				    `(${err.message}).`);
			}
			const body = bodyFor(id, doc);
			const r = await api('PUT',
			    `/api/v1/holiday-sets/${encodeURIComponent(id)}`, { body });
			toast(`${r.data.name}: ${r.data.count} dates imported.`);
			form.reset();
			await load();
			setSelect.value = id;
		} catch (err) {
			// The server names members of the body; point at the file.
			if (err.problem && ['division', 'events', 'dates']
			    .includes(err.problem.field))
				showProblem(form, err, 'file');
			else
				showProblem(form, err);
		} finally {
			button.disabled = false;
		}
	});
	replace(holder, form);
}

export async function mount({ tz }) {
	zone = tz;
	table = sortableTable({ caption: 'Holiday calendars', columns: COLUMNS,
	    sort: { key: 'id', dir: 'ascending' }, empty: 'No calendars.' });
	replace(document.getElementById('holidays-list'), table.el);
	importForm(document.getElementById('holiday-import'));
	await load();
}
