// Journey: signing in and out. Wrong passwords get a plain message, five
// in a row pause sign-in for that user (429 with Retry-After) and the page
// says for how long; ?next= is followed only to a path on this site; the
// shell's sign-out ends the session; a changed password is the one that
// works next time.

import assert from 'node:assert/strict';
import { journey, password, signIn } from './harness.mjs';

journey('signin', async ({ server, newPage, shot }) => {
	const page = await newPage();

	// A page that needs a session sends you to sign in, and back after.
	await page.goto(`${server.base}/account.html`);
	await page.waitForURL(/\/login\.html\?next=%2Faccount\.html$/);
	await shot(page, 'login');
	await page.getByLabel('Username').fill('handler');
	await page.getByLabel('Password', { exact: true }).fill('not-the-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	const alert = page.getByRole('alert');
	await assert.doesNotReject(alert.filter({ hasText:
	    'The username or password is not right' }).waitFor());
	assert.match(page.url(), /\/login\.html\?next=/);
	await shot(page, 'wrong-password');

	// Four more failures for this user: the fifth locks it for 30 s.
	for (let i = 0; i < 4; i++) {
		await page.getByLabel('Password', { exact: true }).fill(`wrong-${i}`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('alert').first().waitFor();
		await page.waitForFunction(() =>
			!document.querySelector('button[type=submit]').disabled);
	}
	// Now even the right password is refused until the pause is over.
	await page.getByLabel('Password', { exact: true }).fill(password('handler'));
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('alert').filter({ hasText: 'Too many failed attempts' })
	    .waitFor();
	const lock = await page.locator('.lock-count').textContent();
	const secs = Number(/Try again in (\d+) s/.exec(lock)?.[1]);
	assert.ok(secs >= 25 && secs <= 30, `lock countdown: ${lock}`);
	assert.equal(await page.getByRole('button', { name: 'Sign in' })
	    .isDisabled(), true);
	await shot(page, 'throttled');
	// The server agrees (and says how long in Retry-After).
	const r = await fetch(`${server.base}/api/v1/session`, { method: 'POST',
	    headers: { 'Content-Type': 'application/json' },
	    body: JSON.stringify({ username: 'handler',
		password: password('handler') }) });
	assert.equal(r.status, 429);
	assert.match(r.headers.get('retry-after') || '', /^\d+$/);

	// Another user is not locked out. An off-site ?next= is not followed.
	for (const next of ['//evil.example/x', 'https://evil.example/',
	    '/\\evil.example', 'javascript:alert(1)']) {
		const p = await newPage();
		await signIn(p, server, 'viewer', { next });
		const u = new URL(p.url());
		assert.equal(u.origin, server.base, `next=${next}`);
		assert.equal(u.pathname, '/', `next=${next} went to ${u.pathname}`);
		await p.context().close();
	}

	// A same-site ?next= is followed, query string and all.
	const p2 = await newPage();
	await signIn(p2, server, 'dpo', { next: '/account.html?from=mail' });
	assert.equal(new URL(p2.url()).pathname + new URL(p2.url()).search,
	    '/account.html?from=mail');
	await p2.getByText('Europe/London').first().waitFor();
	await shot(p2, 'account');

	// Change the password on the account page.
	await p2.getByLabel('Current password').fill('not-it-at-all-1');
	await p2.getByLabel('New password', { exact: true }).fill('a new long passphrase');
	await p2.getByLabel('New password again').fill('a new long passphrase');
	await p2.getByRole('button', { name: 'Change password' }).click();
	const curErr = p2.locator('#current_password[aria-invalid="true"]');
	await curErr.waitFor();
	const describedBy = await curErr.getAttribute('aria-describedby');
	assert.match(await p2.locator(`#${describedBy}`).textContent(),
	    /not your current password/i);
	await p2.getByLabel('Current password').fill(password('dpo'));
	await p2.getByRole('button', { name: 'Change password' }).click();
	await p2.getByText('Your password has been changed').waitFor();

	// Sign out from the header: back to the sign-in page, session gone.
	await p2.getByRole('button', { name: 'Sign out' }).click();
	await p2.waitForURL(/\/login\.html$/);
	const who = await p2.evaluate(async () =>
		(await fetch('/api/v1/session')).status);
	assert.equal(who, 401);
	await p2.goto(`${server.base}/`);
	await p2.waitForURL(/\/login\.html\?next=%2F$/);
	await shot(p2, 'signed-out');

	// The old password no longer works; the new one does.
	await p2.getByLabel('Username').fill('dpo');
	await p2.getByLabel('Password', { exact: true }).fill(password('dpo'));
	await p2.getByRole('button', { name: 'Sign in' }).click();
	await p2.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
	await p2.getByLabel('Password', { exact: true }).fill('a new long passphrase');
	await Promise.all([p2.waitForURL((u) => u.pathname === '/'),
	    p2.getByRole('button', { name: 'Sign in' }).click()]);
});
