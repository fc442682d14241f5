// admin/users: list users, add one (with a password), change role, e-mail
// and time zone, disable or enable, set a password.
// API: GET/POST /api/v1/users, PATCH /api/v1/users/{id},
// PUT /api/v1/users/{id}/password.

import { api } from '../api.js';
import { clearProblems, h, replace, showProblem, toast } from '../ui.js';
import { sortableTable } from '../sorttable.js';
import { field, fieldError, formDialog, rowButton, val } from './dialog.js';

const ROLE_NAMES = { reporter: 'Reporter', handler: 'Handler', dpo: 'DPO',
	viewer: 'Viewer', admin: 'Admin', notifier: 'Notifier' };
export const ROLES = Object.entries(ROLE_NAMES);
const ROLE_HINT = 'Reporter: reports breaches, sees their own. Handler: ' +
    'security staff. DPO: data protection officer. Viewer: leadership, ' +
    'read-only. Admin: users and settings. Notifier: the e-mail service.';

let users = [];
let self = null;
let table = null;
let changed = () => {};

// One datalist of IANA zones for every time-zone input on the page.
function zoneList() {
	let dl = document.getElementById('tz-list');
	if (!dl) {
		const zones = typeof Intl.supportedValuesOf === 'function' ?
		    Intl.supportedValuesOf('timeZone') : [];
		dl = h('datalist', { id: 'tz-list' }, ['UTC', ...zones].map((z) =>
			h('option', { value: z })));
		document.body.appendChild(dl);
	}
	return 'tz-list';
}

function checkPassword(form, name, again) {
	const pw = val(form, name);
	if (pw.length < 12 || pw.length > 256)
		throw fieldError(name, 'A password must be 12 to 256 characters long.');
	if (again && pw !== val(form, again))
		throw fieldError(again, 'The two passwords are not the same.');
	return pw;
}

function editUser(u) {
	formDialog({
		title: `Change ${u.name}`,
		body: [
			field({ name: 'role', label: 'Role', type: 'select',
			    options: ROLES, value: u.role, hint: ROLE_HINT }),
			field({ name: 'email', label: 'E-mail', type: 'email',
			    value: u.email || '', hint: 'Escalation e-mails go ' +
			    'here. Leave empty for none.',
			    attrs: { autocomplete: 'off', maxlength: 254 } }),
			field({ name: 'tz', label: 'Time zone', value: u.tz,
			    hint: 'An IANA zone such as Europe/London: times in ' +
			    'their alerts and pages.', attrs: { list: zoneList(),
				autocomplete: 'off', maxlength: 64 } }),
		],
		onSubmit: async (form) => {
			const body = {};
			if (val(form, 'role') !== u.role)
				body.role = val(form, 'role');
			const email = val(form, 'email').trim();
			if ((email || null) !== u.email)
				body.email = email || null;
			if (val(form, 'tz').trim() !== u.tz)
				body.tz = val(form, 'tz').trim();
			if (Object.keys(body).length === 0)
				return;
			await api('PATCH', `/api/v1/users/${u.id}`, { body });
			toast(`${u.name} changed.`);
			await load();
		},
	});
}

function setPassword(u) {
	formDialog({
		title: `Set a password for ${u.name}`,
		intro: 'This signs them out everywhere. Give them the password ' +
		    'in person or by another channel; they can change it on ' +
		    'their account page.',
		body: [
			field({ name: 'password', label: 'New password',
			    type: 'password', hint: '12 to 256 characters.',
			    attrs: { autocomplete: 'new-password',
				maxlength: 256 } }),
			field({ name: 'password_again', label: 'New password again',
			    type: 'password', attrs: {
				autocomplete: 'new-password', maxlength: 256 } }),
		],
		submit: 'Set password',
		onSubmit: async (form) => {
			const password = checkPassword(form, 'password',
			    'password_again');
			await api('PUT', `/api/v1/users/${u.id}/password`,
			    { body: { password } });
			toast(`Password set for ${u.name}.`);
			await load();
		},
	});
}

function setDisabled(u, disabled) {
	const go = async () => {
		await api('PATCH', `/api/v1/users/${u.id}`, { body: { disabled } });
		toast(`${u.name} ${disabled ? 'disabled' : 'enabled'}.`);
		await load();
	};
	if (!disabled)
		return go().catch((err) => toast(err.message, 'error'));
	formDialog({
		title: `Disable ${u.name}?`,
		intro: 'Their sessions and API tokens stop working at once. You ' +
		    'can enable them again later.',
		body: [],
		submit: `Disable ${u.name}`,
		danger: true,
		onSubmit: go,
	});
}

const COLUMNS = [
	{ key: 'name', label: 'Name', value: (u) => u.name, cell: (u) => u.name },
	{ key: 'role', label: 'Role', value: (u) => u.role,
	    cell: (u) => ROLE_NAMES[u.role] || u.role },
	{ key: 'email', label: 'E-mail', value: (u) => u.email,
	    cell: (u) => u.email || h('span', { class: 'muted' }, 'None') },
	{ key: 'tz', label: 'Time zone', value: (u) => u.tz, cell: (u) => u.tz },
	{ key: 'signin', label: 'Signs in with',
	    value: (u) => u.has_password ? 1 : 0,
	    cell: (u) => u.has_password ? 'Password' : 'API tokens only' },
	{ key: 'state', label: 'Status', value: (u) => u.disabled ? 1 : 0,
	    cell: (u) => u.disabled ? h('span', { class: 'status-disabled' },
		'Disabled') : 'Active' },
	{ key: 'actions', label: 'Actions', cell: (u) => h('div',
	    { class: 'row-actions' },
	    rowButton('Change', u.name, () => editUser(u)),
	    rowButton('Set password', `for ${u.name}`, () => setPassword(u)),
	    self && self.id === u.id ? null : u.disabled ?
		rowButton('Enable', u.name, () => setDisabled(u, false)) :
		rowButton('Disable', u.name, () => setDisabled(u, true),
		    'secondary danger-text')) },
];

export async function load() {
	const r = await api('GET', '/api/v1/users');
	users = r.data.items;
	table.setRows(users);
	changed(users);
	return users;
}

export function list() {
	return users;
}

function addForm(holder) {
	const form = h('form', { method: 'post', action: '/admin.html',
	    novalidate: true, 'aria-labelledby': 'user-add-h',
	    class: 'panel' },
	    h('div', { class: 'inline-form' },
		field({ name: 'name', label: 'User name', hint: 'Lower-case ' +
		    'letters, digits, dot, dash, underscore.', required: true,
		    attrs: { autocomplete: 'off', autocapitalize: 'none',
			spellcheck: 'false', maxlength: 64,
			pattern: '[a-z0-9._\\-]{1,64}' } }),
		field({ name: 'role', label: 'Role', type: 'select',
		    options: ROLES, value: 'reporter', hint: 'Reporter: ' +
		    'reports breaches. Viewer: read-only leadership.' }),
		field({ name: 'email', label: 'E-mail', type: 'email',
		    hint: 'Optional.', attrs: { autocomplete: 'off',
			maxlength: 254 } }),
		field({ name: 'tz', label: 'Time zone', value: 'Europe/London',
		    attrs: { list: zoneList(), autocomplete: 'off',
			maxlength: 64 } }),
		field({ name: 'password', label: 'Password', type: 'password',
		    hint: '12 to 256 characters. Leave empty for a user who ' +
		    'only uses API tokens.', attrs: {
			autocomplete: 'new-password', maxlength: 256 } })),
	    h('div', { class: 'actions' }, h('button', { type: 'submit' },
		'Add user')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const body = { name: val(form, 'name').trim(),
		    role: val(form, 'role') };
		const email = val(form, 'email').trim();
		const tz = val(form, 'tz').trim();
		if (email)
			body.email = email;
		if (tz)
			body.tz = tz;
		try {
			if (!/^[a-z0-9._-]{1,64}$/.test(body.name))
				throw fieldError('name', 'Use 1 to 64 lower-case ' +
				    'letters, digits, dots, dashes or underscores.');
			if (val(form, 'password') !== '')
				body.password = checkPassword(form, 'password');
			await api('POST', '/api/v1/users', { body });
		} catch (err) {
			showProblem(form, err);
			return;
		}
		form.reset();
		toast(`User ${body.name} added.`);
		await load().catch((err) => toast(err.message, 'error'));
	});
	replace(holder, form);
}

// Draw the section into its holders; onChange(users) after each load.
export async function mount({ me, onChange }) {
	self = me;
	changed = onChange || changed;
	table = sortableTable({ caption: 'Users', columns: COLUMNS,
	    sort: { key: 'name', dir: 'ascending' }, empty: 'No users.' });
	replace(document.getElementById('users-list'), table.el);
	addForm(document.getElementById('user-add'));
	await load();
}
