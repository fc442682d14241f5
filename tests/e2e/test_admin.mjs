// Journey: an administrator runs breachclock from the admin page. They add
// a user with a password (who can then sign in), change that user's role
// and password, disable another user (whose token stops working), change
// the escalation ladder and lists (a bad step is refused next to its
// field), create an API token (the secret is shown once and works) and
// revoke it (it stops working), change a regime, and import a GOV.UK
// bank-holidays.json into a holiday calendar. Every result is checked
// through the API, not only on the page.

import assert from 'node:assert/strict';
import { checkA11y, journey, signIn } from './harness.mjs';

const NEW_PASS = 'Board-Member-Pass-42';
const NEWER_PASS = 'Another-Board-Pass-43';

journey('admin', async ({ server, newPage, shot }) => {
	const page = await newPage();
	await page.context().grantPermissions(['clipboard-read',
	    'clipboard-write'], { origin: server.base });
	await signIn(page, server, 'admin', { next: '/admin.html' });
	assert.equal(new URL(page.url()).pathname, '/admin.html');
	await page.locator('body[data-ready="admin"]').waitFor();
	const users = page.locator('#users');
	const section = (name) => page.getByRole('navigation',
	    { name: 'Admin sections' }).getByRole('link', { name, exact: true })
	    .click();

	// ------------------------------------------------------ add a user
	const add = page.locator('form[aria-labelledby="user-add-h"]');
	await add.getByLabel('User name').fill('newboard');
	await add.getByLabel('Role').selectOption('viewer');
	await add.getByLabel('E-mail').fill('board@example.com');
	await add.getByLabel('Password').fill('too short');
	await add.getByRole('button', { name: 'Add user' }).click();
	const pwField = add.getByLabel('Password');
	assert.equal(await pwField.getAttribute('aria-invalid'), 'true');
	const errId = (await pwField.getAttribute('aria-describedby'))
	    .split(' ').find((id) => id.startsWith('err-'));
	assert.match(await page.locator(`#${errId}`).textContent(),
	    /12 to 256 characters/);
	// Nothing was created.
	let list = await server.api('admin', 'GET', '/api/v1/users');
	assert.ok(!list.items.some((u) => u.name === 'newboard'));
	await pwField.fill(NEW_PASS);
	await add.getByRole('button', { name: 'Add user' }).click();
	const row = users.locator('tbody tr', { has: page.locator('th',
	    { hasText: /^newboard$/ }) });
	await row.waitFor();
	assert.deepEqual(await row.locator('th, td').evaluateAll((cs) =>
	    cs.slice(0, 6).map((c) => c.textContent)), ['newboard', 'Viewer',
	    'board@example.com', 'Europe/London', 'Password', 'Active']);
	assert.equal(await add.getByLabel('User name').inputValue(), '');
	list = await server.api('admin', 'GET', '/api/v1/users');
	const nb = list.items.find((u) => u.name === 'newboard');
	assert.equal(nb.role, 'viewer');
	assert.equal(nb.has_password, true);
	// A name in use: the server's 409 is shown on the form.
	await add.getByLabel('User name').fill('viewer');
	await add.getByRole('button', { name: 'Add user' }).click();
	await add.locator('.field-error, .form-error').first().waitFor();
	await shot(page, 'users');

	// The new user signs in with the password the admin gave them.
	const theirs = await newPage();
	await signIn(theirs, server, 'newboard', { pass: NEW_PASS });
	const who = await theirs.evaluate(async () =>
		(await import('/js/api.js')).me());
	assert.equal(who.name, 'newboard');
	assert.equal(who.role, 'viewer');

	// ------------------------------------- change role, set password
	await row.getByRole('button', { name: 'Change newboard' }).click();
	let dlg = page.getByRole('dialog', { name: 'Change newboard' });
	await dlg.getByLabel('Role').selectOption('handler');
	await dlg.getByLabel('Time zone').fill('America/New_York');
	await shot(page, 'user-change');
	await dlg.getByRole('button', { name: 'Save' }).click();
	await dlg.waitFor({ state: 'detached' });
	await row.locator('td', { hasText: /^Handler$/ }).waitFor();
	list = await server.api('admin', 'GET', '/api/v1/users');
	assert.equal(list.items.find((u) => u.name === 'newboard').role,
	    'handler');
	assert.equal(list.items.find((u) => u.name === 'newboard').tz,
	    'America/New_York');
	// Focus goes back to the button that opened the dialog.
	assert.equal(await page.evaluate(() => document.activeElement
	    .textContent), 'Change newboard');

	await row.getByRole('button', { name: 'Set password for newboard' })
	    .click();
	dlg = page.getByRole('dialog', { name: 'Set a password for newboard' });
	await dlg.getByLabel('New password', { exact: true }).fill(NEWER_PASS);
	await dlg.getByLabel('New password again').fill(NEWER_PASS + 'x');
	await dlg.getByRole('button', { name: 'Set password' }).click();
	await dlg.getByText('The two passwords are not the same.').waitFor();
	await dlg.getByLabel('New password again').fill(NEWER_PASS);
	await dlg.getByRole('button', { name: 'Set password' }).click();
	await dlg.waitFor({ state: 'detached' });
	// The old password no longer works; the new one does.
	const tryPass = async (pass) => (await fetch(`${server.base}` +
	    '/api/v1/session', { method: 'POST', headers: { 'Content-Type':
	    'application/json' }, body: JSON.stringify({ username: 'newboard',
		password: pass }) })).status;
	assert.equal(await tryPass(NEW_PASS), 401);
	assert.equal(await tryPass(NEWER_PASS), 200);

	// ------------------------------------------------- disable a user
	assert.equal((await server.request('handler2', 'GET', '/api/v1/me'))
	    .status, 200);
	const h2 = users.locator('tbody tr', { has: page.locator('th',
	    { hasText: /^handler2$/ }) });
	await h2.getByRole('button', { name: 'Disable handler2' }).click();
	dlg = page.getByRole('dialog', { name: 'Disable handler2?' });
	await dlg.getByRole('button', { name: 'Disable handler2' }).click();
	await h2.locator('td', { hasText: /^Disabled$/ }).waitFor();
	assert.equal((await server.request('handler2', 'GET', '/api/v1/me'))
	    .status, 401);
	// No Disable button for yourself.
	const me = users.locator('tbody tr', { has: page.locator('th',
	    { hasText: /^admin$/ }) });
	assert.equal(await me.getByRole('button', { name: /^Disable/ }).count(),
	    0);

	// ------------------------------------------------------ escalation
	await section('Escalation');
	// The page switches on hashchange, a task after the click: wait for
	// it (this fails if the users section never hides).
	await page.locator('#users').waitFor({ state: 'hidden' });
	const esc = page.locator('#escalation form');
	await esc.waitFor();
	assert.equal(await esc.getByLabel('Reminder steps').inputValue(),
	    'applies, half, t-24h, t-6h, t-1h, overdue');
	// A step the server does not know is refused, next to the field.
	await esc.getByLabel('Reminder steps').fill('applies, t-0h, overdue');
	await esc.getByRole('button', { name: 'Save escalation settings' })
	    .click();
	const steps = esc.getByLabel('Reminder steps');
	await page.waitForFunction(() => document.querySelector(
	    '#escalation [name="ladder"]').getAttribute('aria-invalid') ===
	    'true');
	assert.equal(await steps.evaluate((el) => el === document.activeElement),
	    true);
	await shot(page, 'escalation-error');
	let cur = await server.api('admin', 'GET', '/api/v1/escalation');
	assert.deepEqual(cur.ladder, ['applies', 'half', 't-24h', 't-6h', 't-1h',
	    'overdue']);
	await steps.fill('applies, t-12h, t-2h, overdue');
	await esc.getByLabel('Leadership').fill('board@example.com\n' +
	    'chair@example.com');
	await esc.getByLabel('Ladders for particular regimes').fill(
	    'uk_gdpr_art33_ico: applies, half, t-6h, overdue');
	await esc.getByLabel('Daily digest at (hour, UTC)').fill('8');
	await esc.getByRole('button', { name: 'Save escalation settings' })
	    .click();
	await page.getByRole('status').filter({ hasText:
	    'Escalation settings saved.' }).waitFor();
	cur = await server.api('admin', 'GET', '/api/v1/escalation');
	assert.deepEqual(cur.ladder, ['applies', 't-12h', 't-2h', 'overdue']);
	assert.deepEqual(cur.leadership, ['board@example.com',
	    'chair@example.com']);
	assert.deepEqual(cur.regimes, { uk_gdpr_art33_ico: { ladder: ['applies',
	    'half', 't-6h', 'overdue'] } });
	assert.equal(cur.digest_hour_utc, 8);
	await shot(page, 'escalation');

	// ------------------------------------------------------ API tokens
	await section('API tokens');
	const mk = page.locator('form[aria-labelledby="token-add-h"]');
	await mk.getByLabel('For user').selectOption('newboard');
	await mk.getByLabel('Expires after (days)').fill('30');
	await mk.getByRole('button', { name: 'Create token' }).click();
	const secretEl = page.locator('#new-token');
	await secretEl.waitFor();
	const secret = await secretEl.textContent();
	assert.match(secret, /^bc_[A-Za-z0-9_-]{43}$/);
	await page.getByRole('button', { name: 'Copy token' }).click();
	await page.getByRole('status').filter({ hasText: 'Token copied.' })
	    .waitFor();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
	    secret);
	await shot(page, 'token-created');
	const bearer = (t) => fetch(`${server.base}/api/v1/me`,
	    { headers: { Authorization: `Bearer ${t}` } });
	let resp = await bearer(secret);
	assert.equal(resp.status, 200);
	assert.equal((await resp.json()).name, 'newboard');
	const tokens = await server.api('admin', 'GET', '/api/v1/tokens');
	const tok = tokens.items.find((t) => t.user.name === 'newboard');
	assert.ok(tok.expires_at, 'the token expires');
	// Hidden once done with, and never shown again.
	await page.getByRole('button', { name: 'Done, hide it' }).click();
	assert.equal(await page.locator('#new-token').count(), 0);
	assert.ok(!(await page.locator('main').textContent()).includes(secret));
	// Revoke it.
	await page.getByRole('button', { name: `Revoke token ${tok.id} of ` +
	    'newboard' }).click();
	dlg = page.getByRole('dialog', { name: `Revoke token ${tok.id} of ` +
	    'newboard?' });
	await shot(page, 'token-revoke');
	await dlg.getByRole('button', { name: 'Revoke token' }).click();
	await dlg.waitFor({ state: 'detached' });
	const tokRow = page.locator('#tokens tbody tr', { has: page.locator(
	    'th', { hasText: new RegExp(`^${tok.id}$`) }) });
	await tokRow.locator('td', { hasText: /^Revoked / }).waitFor();
	resp = await bearer(secret);
	assert.equal(resp.status, 401);
	// The admin's own token still works.
	assert.equal((await bearer(server.tokens.admin)).status, 200);
	await shot(page, 'tokens');

	// --------------------------------------------------------- regimes
	await section('Regimes');
	const ico = await server.api('admin', 'GET',
	    '/api/v1/regimes/uk_gdpr_art33_ico');
	await page.getByRole('button', { name: `Change ${ico.name}`,
	    exact: true }).click();
	dlg = page.getByRole('dialog', { name: `Change ${ico.name}` });
	await dlg.getByLabel('Notes').fill('Reviewed by the DPO in the e2e test.');
	// A rule that is not JSON is refused before it is sent.
	const rule = await dlg.getByLabel('Rule (JSON)').inputValue();
	assert.deepEqual(JSON.parse(rule), ico.rule);
	await dlg.getByLabel('Rule (JSON)').fill('{"phases": [');
	await dlg.getByRole('button', { name: 'Save regime' }).click();
	await dlg.getByText(/The rule must be a JSON object/).waitFor();
	await dlg.getByLabel('Rule (JSON)').fill(rule);
	await dlg.getByRole('button', { name: 'Save regime' }).click();
	await dlg.waitFor({ state: 'detached' });
	const changed = await server.api('admin', 'GET',
	    '/api/v1/regimes/uk_gdpr_art33_ico');
	assert.equal(changed.notes, 'Reviewed by the DPO in the e2e test.');
	assert.deepEqual(changed.rule, ico.rule);
	assert.equal(changed.name, ico.name);
	await shot(page, 'regimes');

	// ----------------------------------------------- holiday calendars
	await section('Holiday calendars');
	const imp = page.locator('form[aria-labelledby="holiday-import-h"]');
	// It offers the sets there are, which are the ones a regime's
	// calendar can name; the API makes no others.
	const sets = await server.api('admin', 'GET', '/api/v1/holiday-sets');
	const calendar = imp.getByLabel('Calendar', { exact: true });
	await calendar.locator('option').first().waitFor({ state: 'attached' });
	assert.deepEqual(await calendar.locator('option').evaluateAll(
	    (os) => os.map((o) => o.value)), sets.items.map((s) => s.id));
	await calendar.selectOption('gb-eaw');
	// Not JSON: refused next to the file field.
	await imp.getByLabel('File (JSON)').setInputFiles({
	    name: 'bank-holidays.json', mimeType: 'application/json',
	    buffer: Buffer.from('<html>not json</html>') });
	await imp.getByRole('button', { name: 'Import' }).click();
	await imp.getByText(/The file is not JSON/).waitFor();
	// GOV.UK's whole file: the England and Wales division goes in.
	const govuk = {
		'england-and-wales': { division: 'england-and-wales', events: [
			{ title: 'New Year\u2019s Day', date: '2031-01-01',
			    notes: '', bunting: true },
			{ title: 'Good Friday', date: '2031-04-11', notes: '',
			    bunting: false },
			{ title: 'Christmas Day', date: '2031-12-25', notes: '',
			    bunting: true },
		] },
		scotland: { division: 'scotland', events: [
			{ title: 'St Andrew\u2019s Day', date: '2031-12-01',
			    notes: '', bunting: true },
		] },
	};
	await imp.getByLabel('File (JSON)').setInputFiles({
	    name: 'bank-holidays.json', mimeType: 'application/json',
	    buffer: Buffer.from(JSON.stringify(govuk)) });
	await imp.getByRole('button', { name: 'Import' }).click();
	await page.getByRole('status').filter({ hasText: ': 3 dates imported.' })
	    .waitFor();
	const set = await server.api('admin', 'GET',
	    '/api/v1/holiday-sets/gb-eaw');
	assert.deepEqual(set.dates.map((d) => d.date), ['2031-01-01',
	    '2031-04-11', '2031-12-25']);
	const setRow = page.locator('#holidays tbody tr', { has: page.locator(
	    'th', { hasText: /^gb-eaw$/ }) });
	await setRow.locator('td', { hasText: /^3$/ }).waitFor();
	await setRow.getByRole('button', { name: /^View dates/ }).click();
	dlg = page.getByRole('dialog', { name: /\(gb-eaw\)$/ });
	await dlg.getByRole('cell', { name: 'Good Friday' }).waitFor();
	await shot(page, 'holidays-view');
	await dlg.getByRole('button', { name: 'Close' }).click();
	await dlg.waitFor({ state: 'detached' });
	await shot(page, 'holidays');

	// The admin may read the register but not open an incident: the
	// register names each incident without a link to a page that would
	// refuse them.
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Admin-visible register row',
		    discovered_at: new Date(Date.now() - 3600e3).toISOString()
			.replace(/\.\d{3}Z$/, 'Z') } });
	await page.goto(`${server.base}/register.html`);
	const regRow = page.locator('#register tbody tr', { hasText: inc.ref });
	await regRow.waitFor();
	assert.equal(await regRow.getByRole('link').count(), 0,
	    'no link to an incident the admin may not open');
	assert.equal(await page.locator('a[href*="incident.html"]').count(), 0);
	await shot(page, 'register');
});

// A handler who opens the Admin page is told it is for administrators,
// and sees no forms and no 403 messages: the page asks for nothing that
// would be refused.
journey('admin-not-for-others', async ({ server, newPage }) => {
	for (const who of ['handler', 'viewer']) {
		const page = await newPage();
		const refused = [];
		page.on('response', (r) => {
			if (r.status() === 403)
				refused.push(r.url());
		});
		await signIn(page, server, who, { next: '/admin.html#regimes' });
		const note = page.locator('#main', { hasText: 'This page is for ' +
		    'administrators.' });
		await note.waitFor();
		await page.locator('body[data-ready="admin"]').waitFor();
		assert.equal(await page.locator('#main form, #main button, ' +
		    '#main input, #main select, #main textarea').count(), 0,
		    `${who}: no forms or controls`);
		assert.equal(await page.locator('.admin-section, .admin-nav')
		    .count(), 0, `${who}: no admin sections`);
		assert.equal(await page.locator('.form-error').count(), 0);
		assert.deepEqual(refused, [], `${who}: requests refused`);
		assert.equal(await page.getByRole('link', { name: 'Go to the ' +
		    'dashboard' }).getAttribute('href'), '/');
		await checkA11y(page, { label: `admin page as ${who}` });
		await page.context().close();
	}
});
