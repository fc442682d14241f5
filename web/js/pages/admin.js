// admin.html: users and roles, API tokens, escalation, regimes and
// holiday calendars. Each section is its own module under js/admin/; a
// section that fails to load says so and the others carry on.

import { me } from '../api.js';
import { h, mountShell, replace, setTitle, userZone } from '../ui.js';
import * as users from '../admin/users.js';
import * as tokens from '../admin/tokens.js';
import * as escalation from '../admin/escalation.js';
import * as regimes from '../admin/regimes.js';
import * as holidays from '../admin/holidays.js';

mountShell('admin');
setTitle('Admin');

function failed(holderId, what, err) {
	const el = document.getElementById(holderId);
	if (el)
		replace(el, h('p', { class: 'form-error', role: 'alert' },
		    `Could not load ${what}: ${err.message}`));
}

// One section at a time, chosen by the URL's #fragment (the admin nav's
// links), so each is a short page of its own.
const SECTIONS = ['users', 'tokens', 'escalation', 'regimes', 'holidays'];

function showSection() {
	const want = SECTIONS.includes(location.hash.slice(1)) ?
	    location.hash.slice(1) : SECTIONS[0];
	for (const id of SECTIONS)
		document.getElementById(id).hidden = id !== want;
	for (const a of document.querySelectorAll('.admin-nav a')) {
		if (a.getAttribute('href') === `#${want}`)
			a.setAttribute('aria-current', 'true');
		else
			a.removeAttribute('aria-current');
	}
	const { activeElement } = document;
	if (location.hash && (!activeElement || activeElement === document.body ||
	    activeElement.closest('.admin-nav')))
		document.getElementById(`${want}-h`).focus();
}

for (const id of SECTIONS)
	document.getElementById(`${id}-h`).setAttribute('tabindex', '-1');
window.addEventListener('hashchange', showSection);
showSection();

// Someone who is not an admin sees why, and no forms: every admin
// request would only answer 403.
function notForYou(user) {
	window.removeEventListener('hashchange', showSection);
	replace(document.getElementById('main'),
	    h('h1', {}, 'Admin'),
	    h('div', { class: 'notice warning', id: 'not-admin' },
		h('p', {}, h('strong', {}, 'This page is for administrators.')),
		h('p', {}, `You are signed in as ${user.name}, whose role ` +
		    `(${user.role}) cannot manage users, tokens, escalation, ` +
		    'regimes or holiday calendars. Ask an administrator if ' +
		    'something here needs changing.'),
		h('p', {}, h('a', { href: '/' }, 'Go to the dashboard'))));
	document.body.dataset.ready = 'admin';
}

async function start() {
	const user = await me();
	if (user.role !== 'admin') {
		notForYou(user);
		return;
	}
	const tz = userZone(user);
	await Promise.all([
		tokens.mount({ tz }).catch((err) =>
			failed('tokens-list', 'the API tokens', err)),
		users.mount({ me: user, onChange: tokens.setUsers }).catch((err) =>
			failed('users-list', 'the users', err)),
		escalation.mount().catch((err) =>
			failed('escalation-form', 'the escalation settings', err)),
		regimes.mount({ tz }).catch((err) =>
			failed('regimes-list', 'the regimes', err)),
		holidays.mount({ tz }).catch((err) =>
			failed('holidays-list', 'the holiday calendars', err)),
	]);
	document.body.dataset.ready = 'admin';
}

start().catch((err) => failed('users-list', 'this page', err));
