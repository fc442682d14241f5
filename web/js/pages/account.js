// account.html: who you are, your time zone, and changing your password.

import { api, me } from '../api.js';
import { clearProblems, formatDateTime, h, mountShell, replace,
	showProblem, toast, userZone } from '../ui.js';

mountShell('account');

const you = document.getElementById('you');
const form = document.getElementById('password-form');

async function showUser() {
	const user = await me();
	const tz = userZone(user);
	const rows = [
		['Name', user.name],
		['Role', user.role],
		['E-mail', user.email || 'none recorded'],
		['Time zone', h('span', {}, tz, h('span', { class: 'muted' },
		    ` (it is now ${formatDateTime(new Date().toISOString(), tz)}). ` +
		    'Deadlines and times are shown in this zone; an ' +
		    'administrator can change it.'))],
	];
	replace(you, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

form.addEventListener('submit', async (ev) => {
	ev.preventDefault();
	clearProblems(form);
	for (const n of form.querySelectorAll('.notice'))
		n.remove();
	const cur = form.current_password.value;
	const pw = form.new_password.value;
	if (!cur) {
		showProblem(form, new Error('Enter your current password.'),
		    'current_password');
		return;
	}
	if (pw.length < 12 || pw.length > 256) {
		showProblem(form, new Error('The new password must be 12 to 256 ' +
		    'characters long.'), 'new_password');
		return;
	}
	if (pw !== form.confirm_password.value) {
		showProblem(form, new Error('The two new passwords are not the ' +
		    'same.'), 'confirm_password');
		return;
	}
	const button = form.querySelector('button[type="submit"]');
	button.disabled = true;
	try {
		await api('PUT', '/api/v1/me/password', {
			body: { current_password: cur, new_password: pw },
		});
		form.reset();
		const done = h('p', { class: 'notice success', role: 'status' },
		    'Your password has been changed. Use the new one next time ' +
		    'you sign in.');
		form.insertBefore(done, form.firstChild);
		toast('Password changed.');
	} catch (err) {
		showProblem(form, err);
	} finally {
		button.disabled = false;
	}
});

showUser().catch((err) => {
	you.replaceWith(h('p', { class: 'form-error', role: 'alert' },
	    `Could not load your account: ${err.message}`));
});
