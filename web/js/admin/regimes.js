// admin/regimes: list the notification regimes, view one, add one, change
// one (only the members that changed; If-Match with the ETag of the copy
// the form was filled from, when the server gives one), retire one.
// API: GET/POST /api/v1/regimes, GET/PATCH /api/v1/regimes/{id},
// POST /api/v1/regimes/{id}/retire.

import { api } from '../api.js';
import { formatDateTime, h, replace, toast } from '../ui.js';
import { sortableTable } from '../sorttable.js';
import { field, fieldError, formDialog, rowButton, val } from './dialog.js';

let zone;
let table = null;

const TEXTS = [
	['name', 'Name'],
	['jurisdiction', 'Jurisdiction', 'Where it applies, in words.'],
	['legal_source', 'Legal source'],
	['notify', 'Who is notified', 'In words: regulator, individuals, ...'],
	['recipient', 'Recipient', 'As named on its obligations, e.g. ICO.'],
	['clock_start', 'Clock starts', 'In words.'],
	['deadline', 'Deadline', 'In words, e.g. 72 hours.'],
	['citation_url', 'Citation URL'],
	['status', 'Verification status',
	    'verified, verified_secondary, partially_verified or unverified.'],
	['notes', 'Notes', 'Caveats, e.g. where the rule is an approximation.'],
];

const RULE_EXAMPLE = {
	applies: { jurisdictions: ['GB'], min_risk: 'risk', role: 'controller' },
	calendar: { tz: 'Europe/London', holidays: 'gb-eaw' },
	phases: [{ id: 'notification', name: 'Notification', start: 'aware_at',
		duration: 72, unit: 'hours' }],
};

function view(g) {
	formDialog({
		title: g.name,
		wide: true,
		body: [
			h('dl', { class: 'facts' }, [['Id', g.id],
			    ...TEXTS.map(([k, t]) => [t, g[k] || '\u2014']),
			    ['Retired', g.retired_at ? formatDateTime(g.retired_at,
				zone) : 'No, in force'],
			    ['Last changed', formatDateTime(g.updated_at, zone)]]
			    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
			h('h3', {}, 'Rule the deadline engine applies'),
			h('pre', { tabindex: '0', 'aria-label': 'Rule (JSON)' },
			    JSON.stringify(g.rule, null, 2)),
		],
		submit: 'Close',
		cancel: false,
		onSubmit: async () => {},
	});
}

function ruleFrom(form) {
	try {
		const rule = JSON.parse(val(form, 'rule'));
		if (!rule || typeof rule !== 'object' || Array.isArray(rule))
			throw new Error('not an object');
		return rule;
	} catch (err) {
		throw fieldError('rule', 'The rule must be a JSON object ' +
		    `(${err.message}).`);
	}
}

function textFields(g) {
	return TEXTS.map(([k, t, hint]) => field({ name: k, label: t, hint,
	    type: k === 'notes' ? 'textarea' : k === 'citation_url' ? 'url' :
		'text', value: g ? g[k] : '', attrs: { maxlength: 4000,
		autocomplete: 'off' } }));
}

function ruleField(rule) {
	return field({ name: 'rule', type: 'textarea', label: 'Rule (JSON)',
	    value: JSON.stringify(rule, null, 2), hint: 'Which incidents it ' +
	    'applies to, the calendar, and each phase\u2019s clock: see ' +
	    'docs/regimes.md.', attrs: { class: 'code', spellcheck: 'false',
		rows: 14 } });
}

async function change(id) {
	let g, etag;
	try {
		const r = await api('GET', `/api/v1/regimes/${encodeURIComponent(id)}`);
		g = r.data;
		etag = r.etag;
	} catch (err) {
		toast(err.message, 'error');
		return;
	}
	formDialog({
		title: `Change ${g.name}`,
		intro: 'Saving recomputes the deadlines of every open incident.',
		wide: true,
		body: [...textFields(g), ruleField(g.rule)],
		submit: 'Save regime',
		onSubmit: async (form) => {
			const body = {};
			for (const [k] of TEXTS) {
				if (val(form, k) !== g[k])
					body[k] = val(form, k);
			}
			const rule = ruleFrom(form);
			if (JSON.stringify(rule) !== JSON.stringify(g.rule))
				body.rule = rule;
			if (Object.keys(body).length === 0)
				return;
			try {
				await api('PATCH',
				    `/api/v1/regimes/${encodeURIComponent(g.id)}`,
				    { body, etag: etag || undefined });
			} catch (err) {
				if (err.status === 412)
					throw new Error('Someone else changed this ' +
					    'regime since you opened it. Cancel, and ' +
					    'open it again to see their change.');
				throw err;
			}
			toast(`${g.name} saved.`);
			await load();
		},
	});
}

function add() {
	formDialog({
		title: 'Add a regime',
		intro: 'A new regime applies to open incidents at once.',
		wide: true,
		body: [
			field({ name: 'id', label: 'Id', hint: 'Lower-case letters, ' +
			    'digits and underscores, e.g. uk_gdpr_art33_ico.',
			    attrs: { autocomplete: 'off', spellcheck: 'false',
				maxlength: 64 } }),
			...textFields(null), ruleField(RULE_EXAMPLE)],
		submit: 'Add regime',
		onSubmit: async (form) => {
			const body = { id: val(form, 'id').trim() };
			if (!/^[a-z0-9_]{1,64}$/.test(body.id))
				throw fieldError('id', 'Use 1 to 64 lower-case ' +
				    'letters, digits or underscores.');
			for (const [k] of TEXTS) {
				const v = val(form, k);
				if (v !== '' || !['status', 'notes'].includes(k))
					body[k] = v;
			}
			body.rule = ruleFrom(form);
			await api('POST', '/api/v1/regimes', { body });
			toast(`Regime ${body.id} added.`);
			await load();
		},
	});
}

function retire(g) {
	formDialog({
		title: `Retire ${g.name}?`,
		intro: 'It stays on record but no longer applies: its pending ' +
		    'obligations on open incidents become not required.',
		body: [field({ name: 'reason', type: 'textarea', label: 'Reason',
		    hint: 'e.g. replaced by a newer regime; repealed.',
		    attrs: { maxlength: 4000, rows: 3 } })],
		submit: 'Retire regime',
		danger: true,
		onSubmit: async (form) => {
			const reason = val(form, 'reason').trim();
			if (!reason)
				throw fieldError('reason', 'Give a reason.');
			await api('POST', `/api/v1/regimes/${encodeURIComponent(g.id)}` +
			    '/retire', { body: { reason } });
			toast(`${g.name} retired.`);
			await load();
		},
	});
}

const COLUMNS = [
	{ key: 'id', label: 'Id', value: (g) => g.id,
	    cell: (g) => h('code', {}, g.id) },
	{ key: 'name', label: 'Name', value: (g) => g.name, cell: (g) => g.name },
	{ key: 'jurisdiction', label: 'Jurisdiction', value: (g) => g.jurisdiction,
	    cell: (g) => g.jurisdiction },
	{ key: 'state', label: 'In force', value: (g) => g.retired_at || '',
	    cell: (g) => g.retired_at ? `Retired ${formatDateTime(g.retired_at,
		zone)}` : 'Yes' },
	{ key: 'actions', label: 'Actions', cell: (g) => h('div',
	    { class: 'row-actions' },
	    rowButton('View', g.name, () => view(g)),
	    rowButton('Change', g.name, () => change(g.id)),
	    g.retired_at ? null : rowButton('Retire', g.name, () => retire(g),
		'secondary danger-text')) },
];

export async function load() {
	const r = await api('GET', '/api/v1/regimes');
	table.setRows(r.data.items);
}

export async function mount({ tz }) {
	zone = tz;
	table = sortableTable({ caption: 'Notification regimes', columns: COLUMNS,
	    sort: { key: 'id', dir: 'ascending' }, empty: 'No regimes.' });
	replace(document.getElementById('regimes-list'), table.el);
	document.getElementById('regime-add').addEventListener('click', add);
	await load();
}
