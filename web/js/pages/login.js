// login.html: sign in with username and password, then go to ?next (a
// same-origin path only) or the dashboard.

import { session, signIn } from '../api.js';
import { clearProblems, h, showProblem } from '../ui.js';

// Where to go after signing in: ?next if it is a path on this site (one
// leading '/', not '//' or '/\', no scheme, no control characters), else
// the page for the role.
export function safeNext(raw) {
	if (typeof raw !== 'string' || raw.length > 2000)
		return null;
	if (!/^\/(?![/\\])/.test(raw) || /[\\\u0000-\u001f\u007f]/.test(raw))
		return null;
	let u;
	try {
		u = new URL(raw, location.origin);
	} catch (e) {
		return null;
	}
	if (u.origin !== location.origin || u.pathname === '/login.html')
		return null;
	return u.pathname + u.search + u.hash;
}

function home(user) {
	if (user && user.role === 'admin')
		return '/admin.html';
	if (user && user.role === 'reporter')
		return '/report.html';
	return '/';
}

function go(user) {
	const next = safeNext(new URLSearchParams(location.search).get('next'));
	location.replace(next || home(user));
}

const form = document.getElementById('login');
const button = form.querySelector('button[type="submit"]');
let lockTimer = null;

function lockFor(seconds) {
	clearInterval(lockTimer);
	let left = Math.max(1, seconds);
	clearProblems(form);
	// Announced once; the countdown below it is not a live region.
	const msg = h('p', { class: 'form-error', role: 'alert' },
	    'Too many failed attempts. For your security, sign-in is paused ' +
	    `for ${left} seconds.`);
	const count = h('p', { class: 'form-error lock-count' });
	const paint = () => {
		count.textContent = `Try again in ${left} s.`;
	};
	paint();
	form.insertBefore(count, form.firstChild);
	form.insertBefore(msg, count);
	button.disabled = true;
	lockTimer = setInterval(() => {
		left--;
		if (left > 0) {
			paint();
			return;
		}
		clearInterval(lockTimer);
		button.disabled = false;
		count.textContent = 'You can try again now.';
	}, 1000);
}

form.addEventListener('submit', async (ev) => {
	ev.preventDefault();
	clearProblems(form);
	const username = form.username.value.trim();
	const password = form.password.value;
	if (!username) {
		showProblem(form, new Error('Enter your username.'), 'username');
		return;
	}
	if (!password) {
		showProblem(form, new Error('Enter your password.'), 'password');
		return;
	}
	button.disabled = true;
	try {
		const s = await signIn(username, password);
		go(s.user);
	} catch (err) {
		button.disabled = false;
		if (err.status === 429) {
			lockFor(err.retryAfter || 60);
		} else if (err.status === 401) {
			showProblem(form, new Error('The username or password is ' +
			    'not right. Check them and try again.'));
			form.password.value = '';
			form.password.focus();
		} else if (err.status === 400 || err.status === 422) {
			showProblem(form, err);
		} else {
			showProblem(form, new Error('Signing in did not work: ' +
			    `${err.message} Try again in a moment.`));
		}
	}
});

// Already signed in: straight on.
session().then((s) => {
	if (s)
		go(s.user);
	else
		form.username.focus();
}).catch(() => form.username.focus());
