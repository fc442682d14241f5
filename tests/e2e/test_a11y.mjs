// Journey: the pages of web-core pass axe-core's WCAG 2.0, 2.1 and 2.2 A
// and AA rules with zero violations, in the states people meet them in
// (empty, with errors shown, filled with data, read-only, on a phone), and
// the first page (what / leads to when signed out) and the signed-in
// dashboard each move under 100 KB over the network.

import assert from 'node:assert/strict';
import { PHONE, checkA11y, isoIn, journey, measureTransfer, password,
	signIn } from './harness.mjs';

const KB = 1024;

journey('a11y', async ({ server, browser, newPage, shot }) => {
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Customer list sent to a supplier',
		    discovered_at: isoIn(-30), aware_at: isoIn(-20),
		    data_categories: ['contact_details'], subjects_count: 40,
		    description: 'Sent by mistake; supplier confirmed deletion.' } });
	const id = inc.id;
	await server.api('handler', 'PATCH', `/api/v1/incidents/${id}`, {
		body: { status: 'investigating' }, headers: { 'If-Match': '"1"' } });
	await server.api('handler', 'POST', `/api/v1/incidents/${id}/assessments`,
	    { body: { data_type: 'simple', ease_of_identification: 'maximum',
		confidentiality: 'known_recipients', integrity: 'none',
		availability: 'none', malicious: false,
		mitigations: ['trusted_recipient_deleted'] } });
	await server.api('handler', 'POST', `/api/v1/incidents/${id}/notes`,
	    { body: { text: 'Supplier confirmed deletion in writing.' } });
	await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Overdue one', discovered_at: isoIn(-100),
		    aware_at: isoIn(-90) } });

	// The sign-in page: empty, then with each kind of error.
	const anon = await newPage();
	await anon.goto(`${server.base}/`);
	await anon.waitForURL(/\/login\.html/);
	await checkA11y(anon, { label: 'login' });
	await anon.getByRole('button', { name: 'Sign in' }).click();
	await anon.locator('.field-error').waitFor();
	await checkA11y(anon, { label: 'login, missing username' });
	await anon.getByLabel('Username').fill('viewer');
	await anon.getByLabel('Password', { exact: true }).fill('wrong password!');
	await anon.getByRole('button', { name: 'Sign in' }).click();
	await anon.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
	await checkA11y(anon, { label: 'login, wrong password' });
	await shot(anon, 'login-error');

	// Handler: dashboard, incident page, account page.
	const page = await newPage();
	await signIn(page, server, 'handler');
	await page.locator('.countdown.tl-overdue').first().waitFor();
	await page.locator('.countdown.tl-h72, .countdown.tl-ok').first()
	    .waitFor();
	await checkA11y(page, { label: 'dashboard' });
	await shot(page, 'dashboard');
	// The keyboard: the first Tab reaches the skip link, which moves the
	// focus to the main content.
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.textContent),
	    'Skip to main content');
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.name),
	    'status', 'the next stop is the first filter');
	// Overdue first, said in words as well as colour.
	assert.match(await page.locator('#main .cards .countdown').first()
	    .textContent(), /^Overdue: overdue by /);
	// The countdowns are live: an hour later they read an hour less.
	const live = await newPage();
	await live.clock.install();
	await signIn(live, server, 'handler');
	const soon = live.locator('.countdown.tl-h72 .tl-text').first();
	const before = await soon.textContent();
	await live.clock.fastForward('01:00:00');
	await live.waitForFunction((b) => document.querySelector(
	    '.countdown.tl-h72 .tl-text').textContent !== b, before);
	const hours = (t) => { const m = /(?:(\d+) d )?(\d+) h/.exec(t);
		return Number(m[1] || 0) * 24 + Number(m[2]); };
	assert.equal(hours(await soon.textContent()), hours(before) - 1,
	    `${before} -> ${await soon.textContent()}`);
	await live.context().close();

	await page.getByLabel('Status').selectOption('investigating');
	await page.getByRole('heading', { name: 'Incidents: Investigating' })
	    .waitFor();
	assert.match(page.url(), /\?status=investigating$/);
	await checkA11y(page, { label: 'dashboard, filtered' });

	await page.goto(`${server.base}/incident.html?id=${id}`);
	await page.locator('#assessment-result').waitFor();
	await checkA11y(page, { label: 'incident' });
	await page.getByRole('button', { name: 'Edit Title' }).click();
	await page.getByRole('button', { name: 'Show draft' }).first().click();
	await page.locator('.notice-draft pre').waitFor();
	await page.getByRole('button', { name: 'Not a breach', exact: true }).click();
	await page.getByRole('button', { name: 'Record: not a breach' }).click();
	await page.locator('.field-error').waitFor();
	await page.locator('summary', { hasText: 'Record notification' }).first()
	    .click();
	await checkA11y(page, { label: 'incident, editors and drafts open' });
	await shot(page, 'incident-editing');

	await page.goto(`${server.base}/account.html`);
	await page.getByText('Europe/London').first().waitFor();
	await checkA11y(page, { label: 'account' });
	await page.getByRole('button', { name: 'Change password' }).click();
	await page.locator('.field-error').waitFor();
	await checkA11y(page, { label: 'account, error' });

	// A viewer reads the incident: no controls, still accessible.
	const viewer = await newPage();
	await signIn(viewer, server, 'viewer',
	    { next: `/incident.html?id=${id}` });
	await viewer.locator('#timeline li').first().waitFor();
	assert.equal(await viewer.getByRole('button', { name: /^Edit/ }).count(),
	    0);
	await checkA11y(viewer, { label: 'incident, read-only' });

	// A reporter on a phone: the form, its errors, the confirmation, and
	// their own list.
	const phone = await newPage({ viewport: PHONE });
	await signIn(phone, server, 'reporter');
	await phone.getByLabel('What happened, in a few words').waitFor();
	await checkA11y(phone, { label: 'report (phone)' });
	await phone.getByText('More kinds of data').click();
	await phone.getByRole('button', { name: 'Send report' }).click();
	await phone.locator('.field-error').waitFor();
	await checkA11y(phone, { label: 'report (phone), error' });
	await phone.getByLabel('What happened, in a few words').fill('USB stick');
	await phone.getByRole('button', { name: 'Send report' }).click();
	await phone.locator('#done').waitFor();
	await checkA11y(phone, { label: 'report (phone), sent' });
	await phone.goto(`${server.base}/`);
	await phone.getByRole('heading', { name: 'Your reports' }).waitFor();
	await checkA11y(phone, { label: 'dashboard (reporter, phone)' });
	await shot(phone, 'reporter-dashboard');

	// Weight: the first page, cold, over the network.
	const first = await measureTransfer(browser, `${server.base}/`,
	    { waitForUrl: /\/login\.html/ });
	for (const r of first.requests)
		process.stdout.write(`#   ${r.bytes} B ${r.status} ${r.url}\n`);
	process.stdout.write(`# first page: ${first.bytes} B over the network ` +
	    `(${first.timing} B by Resource Timing for the sign-in page), ` +
	    `${first.requests.length} requests\n`);
	assert.ok(first.requests.some((r) => /\/login\.html(\?|$)/.test(r.url)));
	assert.ok(first.bytes > 0 && first.bytes < 100 * KB,
	    `first page moved ${first.bytes} bytes`);
	assert.ok(first.timing < 100 * KB);

	// And the dashboard a signed-in handler opens, cold.
	const dash = await measureTransfer(browser, `${server.base}/`, {
		signIn: { server, name: 'handler', pass: password('handler') },
		waitForSelector: '.countdown' });
	process.stdout.write(`# dashboard: ${dash.bytes} B, ` +
	    `${dash.requests.length} requests\n`);
	assert.ok(dash.bytes > 0 && dash.bytes < 100 * KB,
	    `dashboard moved ${dash.bytes} bytes`);
});
