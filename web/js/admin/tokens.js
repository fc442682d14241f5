// admin/tokens: list API tokens (without secrets), create one and show its
// secret once with a copy button, revoke one.
// API: GET/POST /api/v1/tokens, DELETE /api/v1/tokens/{id}.

import { api } from '../api.js';
import { clearProblems, formatDateTime, h, replace, showProblem,
	toast } from '../ui.js';
import { sortableTable } from '../sorttable.js';
import { field, fieldError, formDialog, rowButton, val } from './dialog.js';

let zone;
let table = null;
let tokens = [];
let nextCursor = null;
let more = null;
let userSelect = null;

function state(t, now = Date.now()) {
	if (t.revoked_at)
		return 'revoked';
	if (t.expires_at && new Date(t.expires_at).getTime() <= now)
		return 'expired';
	return 'active';
}

const STATE_TEXT = { active: 'Active', revoked: 'Revoked', expired: 'Expired' };

function revoke(t) {
	formDialog({
		title: `Revoke token ${t.id} of ${t.user.name}?`,
		intro: 'Programs using this token are refused from now on. ' +
		    'This cannot be undone.',
		body: [],
		submit: 'Revoke token',
		danger: true,
		onSubmit: async () => {
			await api('DELETE', `/api/v1/tokens/${t.id}`);
			toast(`Token ${t.id} revoked.`);
			await load();
		},
	});
}

const COLUMNS = [
	{ key: 'id', label: 'Token', value: (t) => t.id, numeric: true,
	    first: 'descending', cell: (t) => String(t.id) },
	{ key: 'user', label: 'User', value: (t) => t.user.name,
	    cell: (t) => t.user.name },
	{ key: 'created', label: 'Created', value: (t) => t.created_at,
	    cell: (t) => formatDateTime(t.created_at, zone) },
	{ key: 'expires', label: 'Expires', value: (t) => t.expires_at,
	    cell: (t) => t.expires_at ? formatDateTime(t.expires_at, zone) :
		h('span', { class: 'muted' }, 'Never') },
	{ key: 'state', label: 'Status', value: (t) => state(t),
	    cell: (t) => t.revoked_at ? `Revoked ${formatDateTime(t.revoked_at,
		zone)}` : STATE_TEXT[state(t)] },
	{ key: 'actions', label: 'Actions', cell: (t) => state(t) === 'active' ?
	    rowButton('Revoke', `token ${t.id} of ${t.user.name}`,
		() => revoke(t), 'secondary danger-text') :
	    h('span', { class: 'muted' }, 'None') },
];

export async function load({ append = false } = {}) {
	const r = await api('GET', '/api/v1/tokens', { query: { limit: 200,
	    cursor: append ? nextCursor : undefined } });
	tokens = append ? tokens.concat(r.data.items) : r.data.items;
	nextCursor = r.data.next_cursor;
	table.setRows(tokens);
	more.hidden = !nextCursor;
}

// Show the new secret once, with a copy button.
function showSecret(holder, tok) {
	const out = h('output', { id: 'new-token', 'aria-labelledby':
	    'new-token-l' }, tok.token);
	const copy = h('button', { type: 'button', class: 'secondary',
	    onclick: async () => {
		try {
			await navigator.clipboard.writeText(tok.token);
			toast('Token copied.');
		} catch (err) {
			// No clipboard permission: select it for Ctrl+C.
			const range = document.createRange();
			range.selectNodeContents(out);
			const sel = getSelection();
			sel.removeAllRanges();
			sel.addRange(range);
			toast('Press Ctrl+C (or Cmd+C) to copy the selected token.');
		}
	} }, 'Copy token');
	const box = h('div', { class: 'notice success', role: 'status' },
	    h('p', { id: 'new-token-l' }, h('strong', {},
		`Token ${tok.id} for ${tok.user}`),
		tok.expires_at ? ` (expires ${formatDateTime(tok.expires_at,
		    zone)})` : '', '. Copy it now: it will not be shown again.'),
	    h('div', { class: 'secret' }, out, copy,
		h('button', { type: 'button', class: 'link',
		    onclick: () => box.remove() }, 'Done, hide it')));
	replace(holder, box);
}

// Refill the user choice after the user list changed.
export function setUsers(users) {
	if (!userSelect)
		return;
	const keep = userSelect.value;
	replace(userSelect, users.filter((u) => !u.disabled).map((u) =>
		h('option', { value: u.name }, `${u.name} (${u.role})`)));
	if ([...userSelect.options].some((o) => o.value === keep))
		userSelect.value = keep;
}

function addForm(holder) {
	const secret = h('div', {});
	const form = h('form', { method: 'post', action: '/admin.html',
	    novalidate: true, 'aria-labelledby': 'token-add-h', class: 'panel' },
	    h('div', { class: 'inline-form' },
		field({ name: 'user', label: 'For user', type: 'select',
		    options: [] }),
		field({ name: 'expires_in_days', label: 'Expires after (days)',
		    type: 'number', hint: '1 to 3650; empty: never.',
		    attrs: { min: 1, max: 3650, inputmode: 'numeric' } })),
	    h('div', { class: 'actions' }, h('button', { type: 'submit' },
		'Create token')), secret);
	userSelect = form.elements.namedItem('user');
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const body = { user: val(form, 'user') };
		const days = val(form, 'expires_in_days').trim();
		try {
			if (!body.user)
				throw fieldError('user', 'Choose a user.');
			if (days !== '') {
				if (!/^\d+$/.test(days) || +days < 1 || +days > 3650)
					throw fieldError('expires_in_days',
					    'Give a whole number of days from 1 to ' +
					    '3650, or leave it empty.');
				body.expires_in_days = Number(days);
			}
			const r = await api('POST', '/api/v1/tokens', { body });
			showSecret(secret, r.data);
		} catch (err) {
			showProblem(form, err);
			return;
		}
		form.elements.namedItem('expires_in_days').value = '';
		await load().catch((err) => toast(err.message, 'error'));
	});
	replace(holder, form);
}

export async function mount({ tz }) {
	zone = tz;
	table = sortableTable({ caption: 'API tokens, newest first',
	    columns: COLUMNS, sort: { key: 'id', dir: 'descending' },
	    empty: 'No tokens.' });
	more = h('button', { type: 'button', class: 'secondary', hidden: true,
	    onclick: () => load({ append: true }).catch((err) =>
		toast(err.message, 'error')) }, 'Show older tokens');
	replace(document.getElementById('tokens-list'), table.el,
	    h('div', { class: 'actions' }, more));
	addForm(document.getElementById('token-add'));
	await load();
}
