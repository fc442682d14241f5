// incident.html?id=N: one incident. Facts edited in place with If-Match
// (a 412 shows what the other person saved and lets you reapply yours),
// the status buttons with the reason a step is not open yet, the ENISA
// assessment and its suggestion, the risk decision, the obligations with
// countdowns and "record notification" (and, for the DPO, "waive" and the
// Art. 34(3) exemption), the drafted notices, the timeline and notes.
// Readers (reporter, viewer) see it all without the controls.

import { api, ApiError, me } from '../api.js';
import { badge, clearProblems, countdownEl, download, formatDateTime,
	fromLocalInput, h, humanize, mountShell, param, parseWhole, replace,
	setTitle, showProblem, timeEl, toLocalInput, toast, userZone }
	from '../ui.js';
import { DATA_CATEGORIES, OBLIGATION_STATES, RISKS, STATUSES,
	SUBJECT_CATEGORIES, label, riskLabel } from '../labels.js';

mountShell('incident');

const id = param('id');
const base = `/api/v1/incidents/${encodeURIComponent(id)}`;
const S = {
	inc: null, etag: null, user: null, tz: undefined, canEdit: false,
	isDpo: false,
	obligations: [], assessments: [], decisions: [], events: [],
	editing: new Set(),
	dirty: new Set(),	// forms with unsaved input: not re-rendered
};

// Mark form `name` dirty on input, so a refresh does not wipe it.
function track(form, name) {
	form.addEventListener('input', () => S.dirty.add(name));
	form.addEventListener('change', () => S.dirty.add(name));
	return form;
}

function section(name) {
	const s = document.getElementById(name);
	s.hidden = false;
	return s.querySelector('.body');
}

function fail(where, err) {
	if (err instanceof ApiError && err.status === 401)
		return;
	toast(`${where}: ${err.message}`, 'error');
}

// ----------------------------------------------------------- the facts

const CAUSES = {
	phishing: 'Phishing', malware: 'Malware', ransomware: 'Ransomware',
	brute_force: 'Brute force attack', denial_of_service: 'Denial of service',
	system_misconfiguration: 'System misconfiguration',
	insecure_webpage: 'Insecure web page',
	unauthorised_access: 'Unauthorised access',
	misdirected_email: 'E-mail sent to the wrong recipient',
	failure_to_use_bcc: 'Failure to use BCC',
	misdirected_post: 'Post or fax to the wrong recipient',
	verbal_disclosure: 'Verbal disclosure', failure_to_redact: 'Failure to redact',
	alteration_of_data: 'Alteration of data',
	lost_or_stolen_device: 'Lost or stolen device',
	lost_or_stolen_paperwork: 'Lost or stolen paperwork',
	insecure_disposal: 'Insecure disposal', other: 'Other',
	unknown: 'Not yet established',
};
const SECTOR_FLAGS = {
	pecr_provider: 'Public electronic communications provider (PECR)',
	nis_entity: 'NIS entity', nis2_entity: 'NIS2 entity',
	dora_financial_entity: 'DORA financial entity',
	hipaa_covered_entity: 'HIPAA covered entity',
	hipaa_business_associate: 'HIPAA business associate',
	sec_registrant: 'SEC registrant', lgpd_small_agent: 'LGPD small agent',
	trust_service_provider: 'Trust service provider (eIDAS)',
	ny_dfs_covered_entity: 'NY DFS covered entity',
	ftc_financial_institution: 'FTC financial institution',
	circia_covered_entity: 'CIRCIA covered entity',
};
const YES_NO_UNKNOWN = { yes: 'Yes', no: 'No', unknown: 'Not known' };

// k: the Incident field; t: text | textarea | datetime | select | checks
// | int | bool | list; null: may be cleared.
const FACTS = [
	{ k: 'title', l: 'Title', t: 'text', max: 200 },
	{ k: 'description', l: 'What happened', t: 'textarea', null: true },
	{ k: 'cause', l: 'Cause', t: 'select', opts: CAUSES, null: true },
	{ k: 'cyber_incident', l: 'Cyber incident', t: 'select',
	    opts: YES_NO_UNKNOWN },
	{ k: 'how_discovered', l: 'How it was found', t: 'textarea', null: true },
	{ k: 'occurred_from', l: 'Breach started', t: 'datetime', null: true },
	{ k: 'occurred_to', l: 'Breach ended', t: 'datetime', null: true },
	{ k: 'discovered_at', l: 'Noticed (discovered_at)', t: 'datetime' },
	{ k: 'aware_at', l: 'Became aware (aware_at)', t: 'datetime', null: true,
	    hint: 'When the organisation became reasonably sure that personal ' +
	    'data was compromised. This starts the 72-hour clock to the ICO.' },
	{ k: 'awareness_justification', l: 'Why awareness took over 24 h',
	    t: 'textarea', null: true, hint: 'Needed to confirm when aware_at ' +
	    'is more than 24 hours after discovered_at.' },
	{ k: 'not_a_breach_reason', l: 'Why it is not a breach', t: 'textarea',
	    null: true },
	{ k: 'assignee', l: 'Assigned to', t: 'text', null: true, max: 64,
	    hint: 'The user name of the person handling it; empty for nobody.' },
	{ k: 'role', l: 'Our role', t: 'select',
	    opts: { controller: 'Controller', processor: 'Processor' } },
	{ k: 'controller_name', l: 'Controller to tell (if processor)',
	    t: 'text', null: true, max: 200 },
	{ k: 'controller_notice_hours', l: 'Notice period to the controller ' +
	    '(hours)', t: 'int' },
	{ k: 'jurisdictions', l: 'Where the people live', t: 'list',
	    hint: 'ISO 3166 codes separated by commas, e.g. GB, IE, US-CA. ' +
	    'Empty means the default (GB).' },
	{ k: 'data_categories', l: 'Kinds of personal data', t: 'checks',
	    opts: DATA_CATEGORIES },
	{ k: 'subject_categories', l: 'Whose data', t: 'checks',
	    opts: SUBJECT_CATEGORIES },
	{ k: 'subjects_count', l: 'People affected (approx.)', t: 'int',
	    null: true },
	{ k: 'records_count', l: 'Records affected (approx.)', t: 'int',
	    null: true },
	{ k: 'confidentiality_impact', l: 'Confidentiality lost', t: 'bool' },
	{ k: 'integrity_impact', l: 'Integrity lost (data altered)', t: 'bool' },
	{ k: 'availability_impact', l: 'Availability lost', t: 'bool' },
	{ k: 'encryption', l: 'Encryption', t: 'select', opts: {
	    none: 'Not encrypted', key_safe: 'Encrypted, key safe',
	    key_compromised: 'Encrypted, key compromised',
	    unknown: 'Not known' } },
	{ k: 'backups', l: 'Backups', t: 'select', opts: { none: 'None',
	    available: 'Available', restored: 'Restored', unknown: 'Not known' } },
	{ k: 'sector_flags', l: 'Sector rules', t: 'checks', opts: SECTOR_FLAGS },
	{ k: 'likely_consequences', l: 'Likely consequences', t: 'textarea',
	    null: true },
	{ k: 'measures_taken', l: 'Measures taken', t: 'textarea', null: true },
	{ k: 'measures_proposed', l: 'Measures proposed', t: 'textarea',
	    null: true },
	{ k: 'dpo_contact', l: 'DPO contact', t: 'textarea', null: true },
];

function factById(k) {
	return FACTS.find((f) => f.k === k);
}

// How a fact reads.
function show(f, v) {
	if (v === null || v === undefined || v === '' ||
	    (Array.isArray(v) && v.length === 0))
		return h('span', { class: 'muted' }, f.t === 'list' ?
		    'None (the default, GB)' : 'Not recorded');
	switch (f.t) {
	case 'datetime':
		return timeEl(v, S.tz);
	case 'select':
		return label(f.opts, v);
	case 'checks':
		return v.map((x) => label(f.opts, x)).join('; ');
	case 'bool':
		return v ? 'Yes' : 'No';
	case 'list':
		return v.join(', ');
	case 'int':
		return Number(v).toLocaleString('en-GB');
	default:
		return String(v);
	}
}

// The input(s) for a fact, holding value v.
function editor(f, v, idp) {
	const id = `${idp}-${f.k}`;
	const hint = f.hint ? h('span', { class: 'hint', id: `${id}-hint` },
	    f.hint) : null;
	const described = f.hint ? `${id}-hint` : null;
	let input;
	switch (f.t) {
	case 'textarea':
		input = h('textarea', { id, name: f.k, rows: 4,
		    'aria-describedby': described }, v ?? '');
		break;
	case 'datetime':
		input = h('input', { id, name: f.k, type: 'datetime-local',
		    value: toLocalInput(v, S.tz), 'aria-describedby': described });
		break;
	case 'select':
		input = h('select', { id, name: f.k, value: v ?? '',
		    'aria-describedby': described },
		    f.null ? h('option', { value: '' }, 'Not recorded') : null,
		    Object.entries(f.opts).map(([k, t]) =>
			h('option', { value: k }, t)));
		break;
	case 'bool':
		input = h('select', { id, name: f.k, value: v ? 'true' : 'false',
		    'aria-describedby': described },
		    h('option', { value: 'true' }, 'Yes'),
		    h('option', { value: 'false' }, 'No'));
		break;
	case 'checks':
		return h('fieldset', {},
		    h('legend', {}, f.l),
		    hint,
		    h('div', { class: 'checks' }, Object.entries(f.opts).map(
			([k, t]) => h('label', { class: 'check',
			    for: `${id}-${k}` },
			    h('input', { type: 'checkbox', id: `${id}-${k}`,
				name: f.k, value: k,
				checked: (v || []).includes(k) }), t))));
	case 'int':
		input = h('input', { id, name: f.k, type: 'text',
		    inputmode: 'numeric', value: v ?? '',
		    'aria-describedby': described });
		break;
	case 'list':
		input = h('input', { id, name: f.k, type: 'text',
		    value: (v || []).join(', '), 'aria-describedby': described });
		break;
	default:
		input = h('input', { id, name: f.k, type: 'text',
		    maxlength: f.max, value: v ?? '',
		    'aria-describedby': described });
	}
	return h('div', { class: 'field' },
	    h('label', { for: id }, f.l), hint, input);
}

// The API value of a fact's editor in form; throws Error(message) when
// it cannot be read.
function read(f, form) {
	if (f.t === 'checks')
		return [...form.querySelectorAll(`input[name="${f.k}"]:checked`)]
		    .map((c) => c.value);
	const raw = form.elements[f.k].value;
	const s = raw.trim();
	if (f.t === 'bool')
		return raw === 'true';
	if (s === '' && f.null)
		return null;
	switch (f.t) {
	case 'datetime': {
		const t = fromLocalInput(raw, S.tz);
		if (!t)
			throw new Error('Give a date and time.');
		return t;
	}
	case 'int': {
		const n = parseWhole(s);
		if (n === null)
			throw new Error('Give a whole number, such as 40 or 2,000 ' +
			    '(no decimals).');
		return n;
	}
	case 'list':
		return s === '' ? [] : s.split(/[\s,;]+/).filter(Boolean)
		    .map((x) => x.toUpperCase());
	case 'textarea':
		return raw;
	default:
		return s;
	}
}

function same(a, b) {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

// The latest incident.updated or status change event: who saved last.
function lastSaver() {
	for (let i = S.events.length - 1; i >= 0; i--) {
		const e = S.events[i];
		if (e.action.startsWith('incident.'))
			return e;
	}
	return null;
}

function factRow(f) {
	const dd = h('dd', { id: `fact-${f.k}` });
	const dt = h('dt', {}, f.l);
	const paint = () => {
		replace(dd, h('span', { class: 'value' }, show(f, S.inc[f.k])),
		    S.canEdit ? [' ', h('button', { type: 'button',
			class: 'link edit', 'aria-label': `Edit ${f.l}`,
			onclick: () => openEditor() }, 'Edit')] : null);
	};
	// Cancel (the button, or Escape anywhere in the editor): the value
	// as saved, and focus back on its Edit button.
	const cancel = () => {
		S.editing.delete(f.k);
		paint();
		dd.querySelector('button.edit')?.focus();
	};
	const openEditor = (mine) => {
		S.editing.add(f.k);
		const form = h('form', { class: 'inline-edit', novalidate: true,
		    'aria-label': `Edit ${f.l}` },
		    editor(f, mine === undefined ? S.inc[f.k] : mine, 'edit'),
		    h('div', { class: 'actions' },
			h('button', { type: 'submit' }, 'Save'),
			h('button', { type: 'button', class: 'secondary',
			    onclick: cancel }, 'Cancel')));
		form.addEventListener('keydown', (ev) => {
			if (ev.key !== 'Escape' || ev.isComposing)
				return;
			ev.preventDefault();
			cancel();
		});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearProblems(form);
			let v;
			try {
				v = read(f, form);
			} catch (e) {
				showProblem(form, e, f.k);
				return;
			}
			await saveFact(f, v, form, paint, openEditor);
		});
		replace(dd, form);
		(form.querySelector('input, textarea, select'))?.focus();
	};
	dd.paint = paint;
	paint();
	return [dt, dd];
}

async function saveFact(f, v, form, paint, openEditor) {
	const button = form.querySelector('button[type="submit"]');
	button.disabled = true;
	try {
		await patch({ [f.k]: v });
		S.editing.delete(f.k);
		paint();
		toast(`${f.l} saved.`);
		document.querySelector(`#fact-${f.k} button.edit`)?.focus();
	} catch (err) {
		button.disabled = false;
		if (err instanceof ApiError && err.status === 412) {
			await conflict(f, v, form, paint, openEditor);
			return;
		}
		showProblem(form, err, err.field === f.k ? f.k : undefined);
	}
}

// Someone saved first: refresh every section with what they saved, say
// which facts they changed (their value of this one only if they changed
// it too), and offer to save ours on top of theirs or keep theirs.
async function conflict(f, mine, form, paint, openEditor) {
	const before = S.inc;
	await reloadAll();
	const who = lastSaver();
	const theirs = S.inc[f.k];
	const changed = FACTS.filter((x) => x.k in S.inc &&
	    !same(before[x.k], S.inc[x.k]));
	const names = changed.map((x) => x.l);
	if (before.status !== S.inc.status)
		names.push(`Status (now ${label(STATUSES, S.inc.status)})`);
	const touched = changed.includes(f);
	const box = h('div', { class: 'notice warning conflict', role: 'alert' },
	    h('p', {}, h('strong', {}, 'Someone else saved this incident ' +
		'while you were editing.')),
	    h('p', {}, who ? `${who.actor} saved it ` : 'It was saved ',
		who ? timeEl(who.at, S.tz) : null,
		` (now version ${S.inc.version}).`),
	    h('p', { class: 'changed' }, names.length ?
		`They changed: ${names.join(', ')}.` :
		'The incident changed, but none of its facts.',
		touched ? null : ` They did not change "${f.l}".`),
	    h('dl', { class: 'facts' },
		touched ? [h('dt', {}, 'Their saved value'),
		    h('dd', { class: 'theirs' }, show(f, theirs))] : null,
		h('dt', {}, 'Your value'),
		h('dd', { class: 'mine' }, show(f, mine))),
	    touched && same(theirs, mine) ? h('p', {}, 'They saved the same ' +
		'value as you.') : null,
	    h('div', { class: 'actions' },
		h('button', { type: 'button', onclick: async () => {
			box.remove();
			await saveFact(f, mine, form, paint, openEditor);
		} }, 'Save mine over theirs'),
		h('button', { type: 'button', class: 'secondary', onclick: () => {
			S.editing.delete(f.k);
			paint();
			toast(`Kept the saved ${f.l}.`);
			document.querySelector(`#fact-${f.k} button.edit`)?.focus();
		} }, touched ? 'Keep theirs' : 'Discard mine')));
	form.insertBefore(box, form.firstChild);
	box.querySelector('button').focus();
}

function renderFacts() {
	const body = section('facts');
	const rows = FACTS.filter((f) => f.k in S.inc)
	    .filter((f) => f.k !== 'not_a_breach_reason' ||
		S.inc.not_a_breach_reason || S.inc.status === 'investigating' ||
		S.inc.status === 'not_a_breach');
	if (!body.firstChild) {
		replace(body,
		    S.canEdit ? h('p', { class: 'muted' }, 'Each fact saves on ' +
			'its own. If someone else saved the incident meanwhile, ' +
			'you will see their version before yours is saved.') :
			null,
		    h('dl', { class: 'facts' }, rows.map(factRow)));
		return;
	}
	// Repaint the values, but leave open editors alone.
	for (const f of rows) {
		const dd = document.getElementById(`fact-${f.k}`);
		if (dd && !S.editing.has(f.k))
			dd.paint();
	}
	// A row that comes or goes with the status (not_a_breach_reason):
	// lay the list out again, moving the existing rows (and any open
	// editor in them) rather than drawing them anew.
	const dl = body.querySelector('dl.facts');
	const shown = [...dl.querySelectorAll(':scope > dd')].map((dd) => dd.id);
	if (shown.join() !== rows.map((f) => `fact-${f.k}`).join())
		dl.replaceChildren(...rows.flatMap((f) => {
			const dd = document.getElementById(`fact-${f.k}`);
			return dd ? [dd.previousElementSibling, dd] : factRow(f);
		}));
}

// --------------------------------------------------------- the header

function renderSummary() {
	const i = S.inc;
	setTitle(`${i.ref} ${i.title}`);
	replace(document.getElementById('title'),
	    h('span', { class: 'mono' }, i.ref), ': ', i.title);
	replace(document.getElementById('summary'),
	    h('p', { class: 'meta' },
		h('span', {}, 'Status: ', badge('status', i.status)),
		h('span', {}, 'Risk: ', badge('risk', i.risk),
		    reassessFacts().length && !['closed', 'not_a_breach']
		    .includes(i.status) ? [' ', h('a', { href: '#decision' },
		    'facts changed: reassess')] : null),
		h('span', {}, i.assignee ? `Assigned to ${i.assignee}` :
		    'Unassigned'),
		h('span', {}, `Reported by ${i.reporter}`),
		h('span', {}, 'Noticed ', timeEl(i.discovered_at, S.tz))),
	    i.next_due_at ? h('p', {}, 'Next deadline: ',
		countdownEl(i.next_due_at), ' ', timeEl(i.next_due_at, S.tz)) :
		null,
	    S.canEdit ? null : h('p', { class: 'muted' }, 'You can read this ' +
		'incident; only handlers and the DPO can change it.'));
}

// --------------------------------------------------------- the status

const STEPS = {
	suspected: [['investigating', 'Start investigating']],
	investigating: [['confirmed', 'Confirm breach'],
	    ['not_a_breach', 'Not a breach']],
	confirmed: [['contained', 'Mark contained']],
	contained: [['closed', 'Close incident']],
};
const ORDER = ['suspected', 'investigating', 'confirmed', 'contained',
	'closed'];

// Why the step to `to` is not open yet, or null.
function blocked(to) {
	const i = S.inc;
	if (to === 'confirmed') {
		if (!i.aware_at)
			return 'Confirm needs aware_at: record when the organisation ' +
			    'became aware of the breach (under Facts).';
		const gap = new Date(i.aware_at) - new Date(i.discovered_at);
		if (gap > 24 * 3600e3 && !(i.awareness_justification || '').trim())
			return 'Confirm needs a justification: aware_at is more than ' +
			    '24 hours after discovered_at, so say why under Facts ' +
			    '(Why awareness took over 24 h).';
	}
	return null;
}

function renderLifecycle() {
	const body = section('lifecycle');
	const i = S.inc;
	const path = i.status === 'not_a_breach' ?
	    ['suspected', 'investigating', 'not_a_breach'] : ORDER;
	const at = path.indexOf(i.status);
	const steps = h('ol', { class: 'steps' }, path.map((s, n) =>
		h('li', { class: n < at ? 'done' : n === at ? 'current' : 'todo',
		    'aria-current': n === at ? 'step' : null },
		    label(STATUSES, s), n === at ? ' (now)' : '')));
	const buttons = [];
	const reasons = [];
	if (S.canEdit)
		for (const [to, text] of STEPS[i.status] || []) {
			const why = blocked(to);
			const rid = `why-${to}`;
			buttons.push(h('button', { type: 'button',
			    class: to === 'not_a_breach' ? 'secondary' : null,
			    'data-to': to,
			    'aria-disabled': why ? 'true' : null,
			    'aria-describedby': why ? rid : null,
			    onclick: () => why ? null : to === 'not_a_breach' ?
				askReason() : to === 'closed' ? confirmClose() :
				move(to) }, text));
			if (why)
				reasons.push(h('p', { id: rid, class: 'why' },
				    why, ' ', h('a', { href: i.aware_at ?
					'#fact-awareness_justification' :
					'#fact-aware_at' }, 'Go to the fact')));
		}
	// One reason form at a time: asking again goes back to it.
	const askReason = () => {
		const open = document.getElementById('nab-form');
		if (open) {
			open.querySelector('textarea').focus();
			return;
		}
		const form = h('form', { id: 'nab-form', class: 'panel',
		    novalidate: true },
		    h('div', { class: 'field' },
			h('label', { for: 'nab-reason' }, 'Why is this not a breach ' +
			    'of personal data?'),
			h('textarea', { id: 'nab-reason', name: 'not_a_breach_reason',
			    rows: 3 }, i.not_a_breach_reason || '')),
		    h('div', { class: 'actions' },
			h('button', { type: 'submit' }, 'Record: not a breach'),
			h('button', { type: 'button', class: 'secondary',
			    onclick: () => renderLifecycle() }, 'Cancel')));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const reason = form.elements.not_a_breach_reason.value.trim();
			if (!reason) {
				showProblem(form, new Error('Give the reason; it is kept ' +
				    'on the record.'), 'not_a_breach_reason');
				return;
			}
			try {
				await patch({ status: 'not_a_breach',
				    not_a_breach_reason: reason });
				toast('Recorded as not a breach.');
			} catch (err) {
				showProblem(form, err);
			}
		});
		body.appendChild(form);
		form.querySelector('textarea').focus();
	};
	// Closing takes the incident and its duties off the dashboard: with a
	// duty still pending or missed, say which and ask first, here on the
	// page. "Keep it open" (or Escape) goes back to the Close button.
	const confirmClose = () => {
		const order = { missed: 0, pending: 1 };
		const open = S.obligations.filter((o) => o.state in order)
		    .sort((a, b) => (order[a.state] - order[b.state]) ||
			(a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0));
		if (open.length === 0) {
			move('closed');
			return;
		}
		const shown = document.getElementById('close-confirm');
		if (shown) {
			shown.querySelector('h3').focus();
			return;
		}
		const back = () => {
			box.remove();
			body.querySelector('button[data-to="closed"]')?.focus();
		};
		const n = open.length;
		const box = h('div', { id: 'close-confirm', class: 'notice warning',
		    role: 'group', 'aria-labelledby': 'close-confirm-h',
		    'aria-describedby': 'close-confirm-why' },
		    h('h3', { id: 'close-confirm-h', tabindex: '-1' },
			`Close the incident with ${n} notification ` +
			`${n === 1 ? 'duty' : 'duties'} still open?`),
		    h('p', { id: 'close-confirm-why' }, 'A closed incident and its ' +
			'duties leave the dashboard, and nobody is reminded of ' +
			'them. Record the notification, or ask the DPO to waive ' +
			'the duty, before closing.'),
		    h('ul', { class: 'open-duties' }, open.map((o) => h('li', {},
			h('strong', {}, o.regime_name, o.phase !== 'notification' ?
			    ` — ${o.phase_name}` : ''),
			': due ', timeEl(o.due_at, S.tz), ', ',
			h('span', { class: `state-${o.state}` },
			    label(OBLIGATION_STATES, o.state)), '.'))),
		    h('div', { class: 'actions' },
			h('button', { type: 'button', class: 'danger',
			    onclick: () => move('closed') }, 'Close anyway'),
			h('button', { type: 'button', class: 'secondary',
			    onclick: back }, 'Keep it open')));
		box.addEventListener('keydown', (ev) => {
			if (ev.key !== 'Escape')
				return;
			ev.preventDefault();
			back();
		});
		body.appendChild(box);
		box.querySelector('h3').focus();
	};
	const move = async (to) => {
		try {
			await patch({ status: to });
			toast(`Status: ${label(STATUSES, to)}.`);
			body.querySelector('button')?.focus();
		} catch (err) {
			if (err.status === 412) {
				await reloadAll();
				toast('Someone else changed the incident meanwhile; ' +
				    'check it and try again.', 'error');
			} else {
				const p = h('p', { class: 'form-error', role: 'alert' },
				    err.message);
				body.appendChild(p);
			}
		}
	};
	replace(body, steps,
	    buttons.length ? h('div', { class: 'actions' }, buttons) : null,
	    reasons,
	    !STEPS[i.status] ? h('p', { class: 'muted' }, 'No further step.') :
		null);
}

// ---------------------------------------------------------- writing

async function patch(fields) {
	const r = await api('PATCH', base, { body: fields, etag: S.etag });
	S.inc = r.data;
	S.etag = r.etag;
	await Promise.all([reloadObligations(), reloadEvents()]);
	renderAll();
}

// ------------------------------------------------------ the assessment

const ENISA = {
	data_type: ['What kind of data (ENISA data processing context)', {
	    simple: 'Simple: names, contact details, education, family life',
	    behavioural: 'Behavioural: location, traffic, habits, preferences',
	    financial: 'Financial: income, transactions, bank or card details',
	    sensitive: 'Sensitive: health, political or religious beliefs, ' +
		'sexual life, criminal records',
	}],
	ease_of_identification: ['How easily can people be identified from it?', {
	    negligible: 'Negligible', limited: 'Limited',
	    significant: 'Significant', maximum: 'Maximum (directly)',
	}],
	confidentiality: ['Confidentiality: who may have seen it?', {
	    none: 'No one outside (no loss of confidentiality)',
	    known_recipients: 'Known recipients', unknown_recipients:
		'Unknown recipients (e.g. published, stolen)',
	}],
	integrity: ['Integrity: was it altered?', {
	    none: 'Not altered', recoverable: 'Altered, can be recovered',
	    irrecoverable: 'Altered beyond recovery',
	}],
	availability: ['Availability: can it still be used?', {
	    none: 'Still available', temporary: 'Temporarily unavailable',
	    permanent: 'Lost for good',
	}],
};
const MITIGATIONS = {
	encrypted_key_safe: 'Strongly encrypted, and the key is safe',
	restored_from_backup: 'Restored from backup in good time',
	trusted_recipient_deleted: 'A trusted recipient confirmed deletion',
};

// Starting answers: the latest assessment, else read off the facts.
function guessInputs() {
	const last = S.assessments[S.assessments.length - 1];
	if (last)
		return last.inputs;
	const i = S.inc;
	const cats = i.data_categories || [];
	const sens = ['health', 'genetic', 'biometric', 'racial_ethnic_origin',
		'political_opinions', 'religious_beliefs', 'trade_union',
		'sex_life_orientation', 'criminal_offence'];
	const data = cats.some((c) => sens.includes(c)) ? 'sensitive' :
	    cats.includes('financial') ? 'financial' :
	    cats.includes('location') ? 'behavioural' : 'simple';
	return {
		data_type: data, context_adjustment: 0,
		ease_of_identification: 'significant',
		confidentiality: i.confidentiality_impact ? 'unknown_recipients' :
		    'none',
		integrity: i.integrity_impact ? 'recoverable' : 'none',
		availability: i.availability_impact ? 'temporary' : 'none',
		malicious: i.cyber_incident === 'yes',
		mitigations: i.encryption === 'key_safe' ? ['encrypted_key_safe'] :
		    [],
	};
}

function radios(name, legend, opts, value) {
	return h('fieldset', {},
	    h('legend', {}, legend),
	    Object.entries(opts).map(([k, t]) => h('label', { class: 'check',
		for: `as-${name}-${k}` },
		h('input', { type: 'radio', id: `as-${name}-${k}`, name,
		    value: k, checked: value === k }), t)));
}

function assessmentResult(a) {
	return h('div', { class: 'notice', id: 'assessment-result' },
	    h('p', {}, h('strong', {}, `Severity ${a.level} (score ${a.score}).`),
		' Suggested decision: ', h('strong', {}, label(RISKS,
		    a.suggestion)), '.'),
	    h('ul', {}, a.reasons.map((r) => h('li', {}, r))),
	    h('p', { class: 'muted' }, `Assessed by ${a.assessed_by}, `,
		timeEl(a.assessed_at, S.tz), '. A person decides below.'));
}

function renderAssessment(force) {
	const body = section('assessment');
	if (!force && S.dirty.has('assess') && body.querySelector('form'))
		return;
	S.dirty.delete('assess');
	const last = S.assessments[S.assessments.length - 1];
	const open = !['closed', 'not_a_breach'].includes(S.inc.status);
	if (!S.canEdit || !open) {
		replace(body, last ? assessmentResult(last) :
		    h('p', {}, 'Not assessed yet.'));
		return;
	}
	const v = guessInputs();
	const form = h('form', { id: 'assess-form', class: 'no-print', novalidate: true },
	    h('p', {}, 'Five questions from ENISA\'s severity method ' +
		'(score = data context × ease of identification + ' +
		'circumstances). The result is a suggestion; you decide below.'),
	    radios('data_type', ENISA.data_type[0], ENISA.data_type[1],
		v.data_type),
	    h('div', { class: 'field' },
		h('label', { for: 'as-context' }, 'Adjust for context'),
		h('span', { class: 'hint', id: 'as-context-hint' }, 'E.g. −1 ' +
		    'for sensitive data that is already public, +1 for simple ' +
		    'data that reveals more in context. The adjusted score must ' +
		    'stay between 1 and 4.'),
		h('select', { id: 'as-context', name: 'context_adjustment',
		    'aria-describedby': 'as-context-hint',
		    value: String(v.context_adjustment || 0) },
		    [-3, -2, -1, 0, 1, 2, 3].map((n) => h('option',
			{ value: String(n) }, n > 0 ? `+${n}` : n === 0 ?
			    'None' : `−${-n}`)))),
	    radios('ease_of_identification', ENISA.ease_of_identification[0],
		ENISA.ease_of_identification[1], v.ease_of_identification),
	    radios('confidentiality', ENISA.confidentiality[0],
		ENISA.confidentiality[1], v.confidentiality),
	    radios('integrity', ENISA.integrity[0], ENISA.integrity[1],
		v.integrity),
	    radios('availability', ENISA.availability[0], ENISA.availability[1],
		v.availability),
	    h('fieldset', {},
		h('legend', {}, 'Circumstances'),
		h('label', { class: 'check', for: 'as-malicious' },
		    h('input', { type: 'checkbox', id: 'as-malicious',
			name: 'malicious', checked: v.malicious }),
		    'Malicious intent (e.g. theft, hacking)'),
		Object.entries(MITIGATIONS).map(([k, t]) => h('label',
		    { class: 'check', for: `as-mit-${k}` },
		    h('input', { type: 'checkbox', id: `as-mit-${k}`,
			name: 'mitigations', value: k,
			checked: (v.mitigations || []).includes(k) }), t))),
	    h('div', { class: 'actions' },
		h('button', { type: 'submit' }, 'Assess severity')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const val = (n) => form.querySelector(`input[name="${n}"]:checked`)
		    ?.value;
		const inputs = {
			data_type: val('data_type'),
			context_adjustment: Number(form.elements.context_adjustment
			    .value),
			ease_of_identification: val('ease_of_identification'),
			confidentiality: val('confidentiality'),
			integrity: val('integrity'),
			availability: val('availability'),
			malicious: form.elements.malicious.checked,
			mitigations: [...form.querySelectorAll(
			    'input[name="mitigations"]:checked')].map((c) => c.value),
		};
		for (const k of Object.keys(ENISA))
			if (!inputs[k]) {
				showProblem(form, new Error('Choose one.'), k);
				return;
			}
		try {
			const r = await api('POST', `${base}/assessments`,
			    { body: inputs });
			S.assessments.push(r.data);
			S.dirty.delete('assess');
			await reloadEvents();
			renderAssessment(true);
			renderDecision(true);
			renderTimeline();
			document.getElementById('assessment-result')?.focus();
			toast(`Suggested decision: ${label(RISKS, r.data.suggestion)}.`);
		} catch (err) {
			showProblem(form, err);
		}
	});
	track(form, 'assess');
	replace(body, last ? assessmentResult(last) : null, form);
	const res = document.getElementById('assessment-result');
	if (res)
		res.setAttribute('tabindex', '-1');
}

// -------------------------------------------------------- the decision

// The facts that changed after the decision in force, "unlikely", rested
// on them (the server marks such a change with data.reassess); [] once a
// later decision was recorded.
function reassessFacts() {
	let out = [];
	for (const e of S.events) {
		if (e.action === 'risk.decided')
			out = [];
		else if (e.action === 'incident.updated' && e.data.reassess)
			out = [...new Set([...out, ...e.data.reassess])];
	}
	return out;
}

function factNames(keys) {
	return keys.map((k) => factById(k)?.l || humanize(k)).join(', ');
}

function reassessNotice() {
	const facts = reassessFacts();
	return facts.length ? h('p', { class: 'notice warning',
	    id: 'reassess' }, 'The facts changed after the decision ' +
	    `"unlikely": ${factNames(facts)}. Reassess the severity and ` +
	    'record a new decision.') : null;
}

function renderDecision(force) {
	const body = section('decision');
	if (!force && S.dirty.has('decide') && body.querySelector('form'))
		return;
	S.dirty.delete('decide');
	const last = S.assessments[S.assessments.length - 1];
	const suggestion = last ? last.suggestion : null;
	const history = S.decisions.length ? h('ol', { class: 'timeline' },
	    S.decisions.map((d) => h('li', {},
		h('span', { class: 'what' }, label(RISKS, d.level)), ' — ',
		d.decided_by, ', ', timeEl(d.decided_at, S.tz),
		d.rationale ? h('p', {}, d.rationale) : null))) :
	    h('p', {}, `${riskLabel(null)}.`);
	const open = !['closed', 'not_a_breach'].includes(S.inc.status);
	if (!S.canEdit || !open) {
		replace(body, open ? reassessNotice() : null, history);
		return;
	}
	const current = S.inc.risk || suggestion;
	const form = h('form', { id: 'decide-form', class: 'no-print', novalidate: true },
	    suggestion ? h('p', {}, 'The assessment suggests: ',
		h('strong', {}, label(RISKS, suggestion)), '.') :
		h('p', {}, 'Assess the severity above for a suggestion, or ' +
		    'decide now and say why.'),
	    h('fieldset', {},
		h('legend', {}, 'Your decision'),
		Object.entries(RISKS).map(([k, t]) => h('label', { class: 'check',
		    for: `rd-${k}` },
		    h('input', { type: 'radio', id: `rd-${k}`, name: 'level',
			value: k, checked: current === k }),
		    t, k === suggestion ? ' (suggested)' : ''))),
	    h('div', { class: 'field' },
		h('label', { for: 'rd-rationale' }, 'Rationale'),
		h('span', { class: 'hint', id: 'rd-rationale-hint' },
		    'Required when you decide differently from the suggestion, ' +
		    'and for "unlikely" (Art. 33(5) record). "High" adds the ' +
		    'duty to tell the people affected.'),
		h('textarea', { id: 'rd-rationale', name: 'rationale', rows: 3,
		    'aria-describedby': 'rd-rationale-hint' })),
	    h('div', { class: 'actions' },
		h('button', { type: 'submit' }, 'Record decision')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const level = form.querySelector('input[name="level"]:checked')
		    ?.value;
		const rationale = form.elements.rationale.value.trim();
		if (!level) {
			showProblem(form, new Error('Choose a decision.'), 'level');
			return;
		}
		if (!rationale && (level === 'unlikely' ||
		    (suggestion && level !== suggestion) || !suggestion)) {
			showProblem(form, new Error(suggestion && level !== suggestion ?
			    `Say why you decided differently from the suggestion ` +
			    `(${label(RISKS, suggestion)}).` :
			    'Say why: the rationale is kept on the record.'),
			    'rationale');
			return;
		}
		const b = { level };
		if (rationale)
			b.rationale = rationale;
		try {
			await api('POST', `${base}/risk-decisions`, { body: b });
			S.dirty.delete('decide');
			await reloadAll();
			toast(`Risk decision recorded: ${label(RISKS, level)}.`);
			document.getElementById('decision-h').scrollIntoView();
		} catch (err) {
			showProblem(form, err);
		}
	});
	track(form, 'decide');
	replace(body, reassessNotice(), form, h('h3', {}, 'Decisions so far'),
	    history);
}

// ------------------------------------------------------ the obligations

const ART34 = 'uk_gdpr_art34_individuals';
// The duties to tell the people affected that Art. 34(3) exempts from, in
// UK GDPR and in EU GDPR (the same text).
const ART34_REGIMES = [ART34, 'eu_gdpr_art34_ds'];

function noticeFor(o) {
	if (o.regime_id === 'uk_gdpr_art33_ico')
		return { kind: 'ico_report' };
	if (ART34_REGIMES.includes(o.regime_id))
		return { kind: 'art34_letter' };
	if (o.regime_id === 'uk_gdpr_art33_2_processor')
		return { kind: 'controller_notice' };
	return { kind: 'regulator_notice', regime_id: o.regime_id };
}

function recordForm(o) {
	const fid = `rec-${o.id}`;
	const late = () => new Date(fromLocalInput(form.elements.sent_at.value,
	    S.tz) || Date.now()) > new Date(o.due_at);
	const delayHint = h('span', { class: 'hint', id: `${fid}-delay-hint` });
	const form = h('form', { class: 'record', novalidate: true,
	    'aria-label': `Record notification: ${o.regime_name}` },
	    h('div', { class: 'field' },
		h('label', { for: `${fid}-sent` }, 'Sent at'),
		h('input', { id: `${fid}-sent`, name: 'sent_at',
		    type: 'datetime-local',
		    value: toLocalInput(new Date().toISOString(), S.tz) })),
	    h('div', { class: 'field' },
		h('label', { for: `${fid}-ref` }, 'Their reference'),
		h('span', { class: 'hint', id: `${fid}-ref-hint` },
		    o.regime_id === 'uk_gdpr_art33_ico' ? 'The ICO case number ' +
		    'from the acknowledgement.' : 'Any reference the recipient ' +
		    'gave.'),
		h('input', { id: `${fid}-ref`, name: 'reference', type: 'text',
		    maxlength: 200, 'aria-describedby': `${fid}-ref-hint` })),
	    h('div', { class: 'field' },
		h('label', { for: `${fid}-delay` }, 'Reason for delay'),
		delayHint,
		h('textarea', { id: `${fid}-delay`, name: 'delay_reason', rows: 2,
		    'aria-describedby': `${fid}-delay-hint` })),
	    h('label', { class: 'check', for: `${fid}-keep` },
		h('input', { type: 'checkbox', id: `${fid}-keep`,
		    name: 'keep_notice', checked: true }),
		'Keep the drafted notice\'s text with this record'),
	    h('div', { class: 'actions' },
		h('button', { type: 'submit' }, 'Record notification')));
	const paintHint = () => {
		delayHint.textContent = late() ? 'Required: this is after the ' +
		    'deadline (Art. 33(1) asks for the reasons for the delay).' :
		    'Only needed when the notice went out after the deadline.';
	};
	paintHint();
	form.elements.sent_at.addEventListener('input', paintHint);
	track(form, fid);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const sent = fromLocalInput(form.elements.sent_at.value, S.tz);
		if (!sent) {
			showProblem(form, new Error('Give the date and time it was ' +
			    'sent.'), 'sent_at');
			return;
		}
		if (new Date(sent) > new Date(Date.now() + 60e3)) {
			showProblem(form, new Error('That time is in the future.'),
			    'sent_at');
			return;
		}
		if (new Date(sent) < new Date(S.inc.discovered_at)) {
			showProblem(form, new Error('That is before the incident ' +
			    'was noticed (' + formatDateTime(S.inc.discovered_at,
			    S.tz) + '): give the time it was sent.'), 'sent_at');
			return;
		}
		const delay = form.elements.delay_reason.value.trim();
		if (late() && !delay) {
			showProblem(form, new Error('Give the reason for the delay: ' +
			    'it was sent after the deadline.'), 'delay_reason');
			return;
		}
		const b = { sent_at: sent };
		const ref = form.elements.reference.value.trim();
		if (ref)
			b.reference = ref;
		if (delay)
			b.delay_reason = delay;
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		try {
			if (form.elements.keep_notice.checked) {
				const n = noticeFor(o);
				const d = await api('GET', `${base}/notices/${n.kind}`,
				    { query: { regime_id: n.regime_id } });
				b.notice_kind = n.kind;
				b.text = d.data;
				b.incident_version = Number(d.headers.get(
				    'X-Incident-Version'));
			}
			await api('POST', `${base}/obligations/${o.id}/notifications`,
			    { body: b });
			S.dirty.delete(fid);
			await reloadAll();
			toast(`Recorded: ${o.regime_name} notified.`);
			document.getElementById(`ob-${o.id}`)?.focus();
		} catch (err) {
			button.disabled = false;
			showProblem(form, err);
		}
	});
	return form;
}

// The conditions of Art. 34(3) (UK and EU GDPR alike), any one of which
// means the people affected need not be told one by one.
const ART34_EXEMPTIONS = {
	a: '(a) The data are unintelligible to anyone not authorised to ' +
	    'see them, for example encrypted with the key kept safe.',
	b: '(b) Measures taken since mean the high risk to the people ' +
	    'affected is no longer likely to materialise.',
	c: '(c) Telling each person would involve disproportionate effort; ' +
	    'a public communication or similar measure informs them as ' +
	    'effectively instead.',
};

// A DPO's form for obligation o: fields(id prefix) inside, body(form) the
// request (or an Error naming its field) to post to url. `what` prefixes
// its ids and its entry in S.dirty; `done` names its button and the form;
// `said` is what the page says once it is recorded.
function dpoForm(o, what, url, fields, body, done, said) {
	const fid = `${what}-${o.id}`;
	const form = h('form', { class: 'record', novalidate: true,
	    'aria-label': `${done}: ${o.regime_name}` }, fields(fid),
	    h('div', { class: 'actions' },
		h('button', { type: 'submit' }, done)));
	track(form, fid);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const b = body(form);
		if (b instanceof Error) {
			showProblem(form, b, b.field);
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		try {
			await api('POST', url, { body: b });
			S.dirty.delete(fid);
			await reloadAll();
			toast(`${o.regime_name}: ${said}`);
			document.getElementById(`ob-${o.id}`)?.focus();
		} catch (err) {
			button.disabled = false;
			showProblem(form, err);
		}
	});
	return form;
}

function fieldError(message, field) {
	return Object.assign(new Error(message), { field });
}

function waiveForm(o) {
	return dpoForm(o, 'waive', `${base}/obligations/${o.id}/waive`,
	    (fid) => h('div', { class: 'field' },
		h('label', { for: `${fid}-reason` }, 'Why it is waived'),
		h('span', { class: 'hint', id: `${fid}-reason-hint` },
		    'Why this duty does not need to be met. It is kept on the ' +
		    'record, and the obligation stays waived.'),
		h('textarea', { id: `${fid}-reason`, name: 'reason', rows: 2,
		    maxlength: 4000, 'aria-describedby': `${fid}-reason-hint` })),
	    (form) => {
		const reason = form.elements.reason.value.trim();
		return reason ? { reason } : fieldError('Say why it is ' +
		    'waived: the reason is kept on the record.', 'reason');
	    }, 'Waive', 'waived.');
}

function exemptionForm(o) {
	// One exemption covers every pending Art. 34 duty of the incident.
	const also = S.obligations.filter((x) => x.id !== o.id &&
	    x.state === 'pending' && ART34_REGIMES.includes(x.regime_id))
	    .map((x) => x.regime_name).join(' and ');
	return dpoForm(o, 'exempt', `${base}/art34-exemption`,
	    (fid) => [h('fieldset', {},
		h('legend', {}, 'The condition of Art. 34(3) relied on'),
		Object.entries(ART34_EXEMPTIONS).map(([k, t]) => h('label',
		    { class: 'check', for: `${fid}-${k}` },
		    h('input', { type: 'radio', id: `${fid}-${k}`,
			name: 'exemption', value: k }), t))),
		h('div', { class: 'field' },
		    h('label', { for: `${fid}-why` }, 'Why it is met'),
		    h('span', { class: 'hint', id: `${fid}-why-hint` },
			'The Art. 34 letter then records this instead.',
			also ? ` It covers ${also} too.` : ''),
		    h('textarea', { id: `${fid}-why`, name: 'explanation',
			rows: 3, maxlength: 4000,
			'aria-describedby': `${fid}-why-hint` }))],
	    (form) => {
		const exemption = form.querySelector(
		    'input[name="exemption"]:checked')?.value;
		const explanation = form.elements.explanation.value.trim();
		if (!exemption)
			return fieldError('Choose the condition relied on.',
			    'exemption');
		if (!explanation)
			return fieldError('Say why the condition is met.',
			    'explanation');
		return { exemption, explanation };
	    }, 'Record the exemption', 'the Art. 34(3) exemption is recorded' +
	    (also ? `, for ${also} too.` : '.'));
}

function obligationItem(o) {
	const pending = o.state === 'pending' || o.state === 'missed';
	const first = o.notifications.find((n) => !n.follow_up);
	return h('li', { class: 'card', id: `ob-${o.id}`, tabindex: '-1' },
	    h('h3', {}, o.regime_name, o.phase !== 'notification' ?
		` — ${o.phase_name}` : ''),
	    h('p', { class: 'meta' },
		h('span', {}, 'Tell: ', o.recipient),
		h('span', { class: `state-${o.state}` }, 'State: ',
		    label(OBLIGATION_STATES, o.state)),
		/^https?:\/\//.test(o.citation_url || '') ?
		    h('a', { href: o.citation_url, rel: 'noopener noreferrer' },
			o.legal_source) : h('span', {}, o.legal_source)),
	    pending ? h('p', {}, countdownEl(o.due_at), ' Due ',
		timeEl(o.due_at, S.tz), o.target ? ' (our target: the law says ' +
		'"without undue delay")' : '') :
		h('p', {}, 'Was due ', timeEl(o.due_at, S.tz), '.'),
	    o.met_at ? h('p', {}, 'Met ', timeEl(o.met_at, S.tz),
		first && first.recorded_by ? ` (recorded by ${first.recorded_by})` :
		    '', o.reference ? [', reference ', h('span',
		    { class: 'mono' }, o.reference)] : '', '.') : null,
	    o.delay_reason ? h('p', {}, 'Reason for delay: ', o.delay_reason) :
		null,
	    o.waive_reason ? h('p', {}, 'Waived: ', o.waive_reason) : null,
	    h('p', { class: 'muted' }, o.basis),
	    pending && S.canEdit ? h('details', { class: 'no-print' },
		h('summary', {}, 'Record notification'), recordForm(o)) : null,
	    o.state === 'pending' && S.isDpo ? h('details', { class: 'no-print' },
		h('summary', {}, ART34_REGIMES.includes(o.regime_id) ?
		    'Rely on an Art. 34(3) exemption' : 'Waive'),
		ART34_REGIMES.includes(o.regime_id) ? exemptionForm(o) :
		    waiveForm(o)) : null);
}

function renderObligations(force) {
	const body = section('obligations');
	const mine = (d) => /^(rec|waive|exempt)-/.test(d);
	if (!force && [...S.dirty].some(mine) && body.querySelector('form'))
		return;
	for (const d of [...S.dirty])
		if (mine(d))
			S.dirty.delete(d);
	const order = { missed: 0, pending: 1, met: 2, waived: 3,
		not_required: 4 };
	const list = [...S.obligations].sort((a, b) =>
		(order[a.state] - order[b.state]) ||
		(a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0));
	replace(body, list.length === 0 ? h('p', {}, S.inc.aware_at ?
	    'No notification duty applies on the facts recorded so far.' :
	    'No clock runs yet: the 72-hour ICO clock starts at aware_at, ' +
	    'when the organisation becomes aware of the breach.') :
	    h('ul', { class: 'cards' }, list.map(obligationItem)));
}

// ----------------------------------------------------------- the notices

function noticeKinds() {
	const kinds = [{ kind: 'ico_report', text: 'Report to the ICO' },
		{ kind: 'art34_letter', text: 'Letter to the people affected ' +
		    '(Art. 34)' }];
	if (S.inc.role === 'processor')
		kinds.push({ kind: 'controller_notice', text: 'Notice to the ' +
		    'controller (Art. 33(2))' });
	const seen = new Set();
	for (const o of S.obligations) {
		const n = noticeFor(o);
		if (n.kind === 'regulator_notice' && !seen.has(o.regime_id)) {
			seen.add(o.regime_id);
			kinds.push({ ...n, text: `Notice: ${o.regime_name}` });
		}
	}
	return kinds;
}

function noticeBlock(n) {
	const query = n.regime_id ? { regime_id: n.regime_id } : {};
	const slot = h('div', {});
	const qs = new URLSearchParams({ format: 'html', ...query });
	const block = h('div', { class: 'notice-draft' },
	    h('h3', {}, n.text),
	    h('div', { class: 'actions' },
		h('button', { type: 'button', class: 'secondary',
		    'aria-expanded': 'false', onclick: async (ev) => {
			const btn = ev.currentTarget;
			if (btn.getAttribute('aria-expanded') === 'true') {
				replace(slot);
				btn.setAttribute('aria-expanded', 'false');
				btn.textContent = 'Show draft';
				return;
			}
			try {
				const r = await api('GET', `${base}/notices/${n.kind}`,
				    { query });
				const fname = /filename="([^"]+)"/.exec(
				    r.headers.get('Content-Disposition') || '')?.[1] ||
				    `${S.inc.ref}-${n.kind}.txt`;
				const pre = h('pre', { tabindex: '0',
				    'aria-label': `${n.text}, draft text` }, r.data);
				replace(slot, h('div', { class: 'actions' },
				    h('button', { type: 'button', onclick: async () => {
					try {
						await navigator.clipboard.writeText(r.data);
						toast('Copied to the clipboard.');
					} catch (e) {
						getSelection().selectAllChildren(pre);
						toast('Press Ctrl+C (or ⌘C) to copy the selected ' +
						    'text.');
					}
				    } }, 'Copy text'),
				    h('button', { type: 'button', class: 'secondary',
					onclick: () => download(fname, r.data) },
					'Download .txt')),
				    pre);
				btn.setAttribute('aria-expanded', 'true');
				btn.textContent = 'Hide draft';
			} catch (err) {
				replace(slot, h('p', { class: 'form-error',
				    role: 'alert' }, err.message));
			}
		    } }, 'Show draft'),
		h('a', { href: `${base}/notices/${n.kind}?${qs}`,
		    target: '_blank', rel: 'noopener' },
		    'Printable version', h('span', { class: 'sr-only' },
			' (opens in a new tab)'))),
	    slot);
	return block;
}

function renderNotices() {
	const body = section('notices');
	replace(body, h('p', { class: 'muted' }, 'Drafted from the facts ' +
	    'above; what is not yet known reads "Not yet known". Check them ' +
	    'before sending.'), noticeKinds().map(noticeBlock));
}

// ----------------------------------------------------------- the timeline

function short(v) {
	if (v === null || v === undefined || v === '' ||
	    (Array.isArray(v) && v.length === 0))
		return '(none)';
	const s = Array.isArray(v) ? v.join(', ') : typeof v === 'object' ?
	    JSON.stringify(v) : String(v);
	return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

// A fact's value on the timeline: the words the facts section uses for a
// choice, a list of choices or yes/no; the value itself otherwise.
function shortFact(k, v) {
	const f = factById(k);
	if (!f || v === null || v === undefined)
		return short(v);
	if (f.t === 'checks' && Array.isArray(v))
		return short(v.map((x) => label(f.opts, x)).join('; '));
	if (f.t === 'select' && typeof v === 'string')
		return short(label(f.opts, v));
	if (f.t === 'bool' && typeof v === 'boolean')
		return v ? 'Yes' : 'No';
	return short(v);
}

// A regime's name, from the incident's obligations; else its id.
function regimeName(rid) {
	return S.obligations.find((o) => o.regime_id === rid)?.regime_name ||
	    rid || 'the people affected';
}

function describe(e) {
	const d = e.data || {};
	switch (e.action) {
	case 'incident.created':
		return 'Reported the incident.';
	case 'incident.updated':
		return h('div', {}, h('ul', {}, Object.entries(d.changes || {})
		    .map(([k, c]) => h('li', {}, `${factById(k)?.l || humanize(k)}: `,
			shortFact(k, c && c.from), ' → ', shortFact(k, c && c.to)))),
		    d.reassess ? h('p', {}, 'The decision "unlikely" rests on ' +
			`${factNames(d.reassess)}: reassess the risk.`) : null);
	case 'incident.status_changed':
		return `Status: ${label(STATUSES, d.from)} → ` +
		    `${label(STATUSES, d.to)}.`;
	case 'risk.assessed':
		return `Severity assessed: ${d.level} (score ${d.score}), ` +
		    `suggesting "${label(RISKS, d.suggestion)}".`;
	case 'risk.decided':
		return h('span', {}, `Risk decided: ${label(RISKS, d.level)}.`,
		    d.rationale ? h('p', {}, d.rationale) : null);
	case 'obligation.created':
		return h('span', {}, `Obligation ${d.regime_id} (${d.phase}): ` +
		    `${humanize(d.state)}, due `, timeEl(d.due_at, S.tz), '.');
	case 'obligation.updated':
		return `Obligation ${d.regime_id} (${d.phase}) changed: ` +
		    Object.entries(d.changes || {}).map(([k, c]) =>
			`${humanize(k)} ${short(c && c.from)} → ${short(c && c.to)}`)
		    .join('; ') + '.';
	case 'notification.recorded':
		return h('span', {}, `Notification recorded for ${d.regime_id}: ` +
		    'sent ', timeEl(d.sent_at, S.tz),
		    d.reference ? `, reference ${d.reference}` : '',
		    d.delay_reason ? `; delay: ${d.delay_reason}` : '', '.');
	case 'obligation.waived':
		return `Obligation waived: ${short(d.reason)}`;
	case 'art34.exemption':
		return `Art. 34(3)(${d.exemption}) relied on for ` +
		    `${regimeName(d.regime_id)}: ${short(d.explanation)}`;
	case 'note.added':
		return h('p', { class: 'note' }, d.text);
	default:
		return short(d);
	}
}

function renderTimeline(force) {
	const body = section('timeline');
	if (!force && S.dirty.has('note') && body.querySelector('form'))
		return;
	S.dirty.delete('note');
	const items = [...S.events].reverse();
	const noteForm = S.canEdit ? h('form', { id: 'note-form',
	    class: 'no-print', novalidate: true },
	    h('div', { class: 'field' },
		h('label', { for: 'note-text' }, 'Add a note'),
		h('textarea', { id: 'note-text', name: 'text', rows: 3,
		    maxlength: 20000 })),
	    h('div', { class: 'actions' },
		h('button', { type: 'submit' }, 'Add note'))) : null;
	if (noteForm)
		track(noteForm, 'note');
	if (noteForm)
		noteForm.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			clearProblems(noteForm);
			const text = noteForm.elements.text.value.trim();
			if (!text) {
				showProblem(noteForm, new Error('Write the note first.'),
				    'text');
				return;
			}
			try {
				await api('POST', `${base}/notes`, { body: { text } });
				await reloadEvents();
				renderTimeline(true);
				toast('Note added.');
				document.getElementById('note-text').focus();
			} catch (err) {
				showProblem(noteForm, err);
			}
		});
	replace(body, noteForm,
	    h('p', { class: 'muted' }, 'Newest first. Every change is kept in ' +
		'the hash-chained audit log.'),
	    h('ol', { class: 'timeline', reversed: true }, items.map((e) =>
		h('li', { 'data-action': e.action },
		    h('div', { class: 'meta' }, timeEl(e.at, S.tz),
			h('span', {}, e.actor),
			h('span', { class: 'what' }, humanize(e.action.replace(
			    '.', ' ')))),
		    describe(e)))));
}

// ----------------------------------------------------------- loading

async function reloadIncident() {
	const r = await api('GET', base);
	S.inc = r.data;
	S.etag = r.etag;
}

async function reloadObligations() {
	S.obligations = (await api('GET', `${base}/obligations`)).data.items;
}

async function reloadEvents() {
	S.events = (await api('GET', `${base}/events`)).data.items;
}

async function reloadAll() {
	const [a, d] = await Promise.all([
		api('GET', `${base}/assessments`),
		api('GET', `${base}/risk-decisions`),
		reloadIncident(), reloadObligations(), reloadEvents(),
	]);
	S.assessments = a.data.items;
	S.decisions = d.data.items;
	renderAll();
}

function renderAll() {
	renderSummary();
	renderLifecycle();
	renderObligations();
	renderFacts();
	renderAssessment();
	renderDecision();
	renderNotices();
	renderTimeline();
}

async function start() {
	if (!/^[1-9][0-9]{0,14}$/.test(id || '')) {
		replace(document.getElementById('summary'), h('p',
		    { class: 'form-error', role: 'alert' }, 'No incident is named ' +
		    'in the address (incident.html?id=N).'));
		return;
	}
	S.user = await me();
	S.tz = userZone(S.user);
	S.canEdit = S.user.role === 'handler' || S.user.role === 'dpo';
	S.isDpo = S.user.role === 'dpo';
	await reloadAll();
}

start().catch((err) => {
	if (err instanceof ApiError && err.status === 401)
		return;
	replace(document.getElementById('summary'), h('p',
	    { class: 'form-error', role: 'alert' }, err.status === 404 ?
	    'There is no incident with this number, or you may not see it.' :
	    `The incident could not be loaded: ${err.message}`));
	fail('Loading', err);
});
