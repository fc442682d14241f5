// Journeys: the incident page keeps up with what happens to it. A save
// that meets someone else's change (412) refreshes every section and says
// what they changed; the "Not a breach" step opens one reason form and
// its fact appears at once; the timeline reads lists with their labels;
// the record-notification form refuses a time before the discovery.

import assert from 'node:assert/strict';
import { checkA11y, isoIn, journey, signIn } from './harness.mjs';

async function openIncident(server, newPage, user, id) {
	const page = await newPage();
	await signIn(page, server, user, { next: `/incident.html?id=${id}` });
	await page.getByRole('heading', { level: 1 }).filter({ hasText: /BR-/ })
	    .waitFor();
	return page;
}

journey('incident-conflict', async ({ server, newPage, shot }) => {
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Laptop left on a train', discovered_at: isoIn(-5),
		    data_categories: ['basic_identifiers'] } });
	const page = await openIncident(server, newPage, 'handler2', inc.id);
	await page.getByRole('button', { name: 'Edit Title' }).click();
	await page.getByLabel('Title', { exact: true }).fill('Laptop lost');

	// Someone else saves another fact meanwhile.
	await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`, {
		body: { measures_taken: 'Remote wipe sent.' },
		headers: { 'If-Match': `"${inc.version}"` } });

	await page.getByRole('button', { name: 'Save', exact: true }).click();
	const box = page.locator('.conflict');
	await box.waitFor();
	await shot(page, 'conflict-other-field');
	// Every section shows the incident as it is now ...
	assert.match(await page.locator('#fact-measures_taken').textContent(),
	    /Remote wipe sent\./);
	assert.match(await page.locator('#timeline').textContent(),
	    /Measures taken: \(none\) → Remote wipe sent\./);
	// ... and the box says what changed, not an unchanged "their value".
	const text = await box.textContent();
	assert.doesNotMatch(text, /Their saved value/);
	assert.match(text, /They changed: Measures taken/);
	assert.match(text, /did not change "Title"/);
	await box.getByRole('button', { name: 'Save mine over theirs' }).click();
	await page.locator('#fact-title .value', { hasText: 'Laptop lost' })
	    .waitFor();
	const cur = await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`);
	assert.equal(cur.title, 'Laptop lost');
	assert.equal(cur.measures_taken, 'Remote wipe sent.');
});

journey('incident-not-a-breach', async ({ server, newPage, shot }) => {
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Odd e-mail to payroll', discovered_at: isoIn(-2) } });
	const page = await openIncident(server, newPage, 'handler', inc.id);
	await page.getByRole('button', { name: 'Start investigating' }).click();
	await page.locator('.steps li[aria-current="step"]', { hasText:
	    'Investigating' }).waitFor();
	// Asking twice opens one form.
	const nab = page.getByRole('button', { name: 'Not a breach', exact: true });
	await nab.click();
	await nab.click();
	assert.equal(await page.locator('#nab-reason').count(), 1);
	assert.equal(await page.locator('#lifecycle form').count(), 1);
	await page.locator('#nab-reason').fill('A test message from IT.');
	await page.getByRole('button', { name: 'Record: not a breach' }).click();
	await page.locator('.steps li[aria-current="step"]', { hasText:
	    'Not a breach' }).waitFor();
	// The reason is among the facts at once, without a reload.
	await page.locator('#fact-not_a_breach_reason', { hasText:
	    'A test message from IT.' }).waitFor({ timeout: 5e3 });
	await shot(page, 'not-a-breach');
});

journey('incident-timeline-labels', async ({ server, newPage }) => {
	let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Folder left in a cafe', discovered_at: isoIn(-4),
		    data_categories: [] } });
	inc = await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`,
	    { body: { data_categories: ['health', 'financial'],
		encryption: 'key_safe' },
		headers: { 'If-Match': `"${inc.version}"` } });
	await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`,
	    { body: { data_categories: [] },
		headers: { 'If-Match': `"${inc.version}"` } });
	const page = await openIncident(server, newPage, 'handler', inc.id);
	const tl = page.locator('#timeline li[data-action="incident.updated"]');
	await tl.first().waitFor();
	const text = (await tl.allTextContents()).join('\n');
	// An empty list reads "(none)", and values read as the facts do.
	assert.match(text, /Kinds of personal data: \(none\) → (Health data; Financial \(bank, card, salary\)|Financial \(bank, card, salary\); Health data)/);
	assert.match(text, /Kinds of personal data: (Health data; Financial \(bank, card, salary\)|Financial \(bank, card, salary\); Health data) → \(none\)/);
	assert.match(text, /Encryption: Not known → Encrypted, key safe/);
});

journey('incident-whole-numbers', async ({ server, newPage }) => {
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Spreadsheet on a shared drive',
		    discovered_at: isoIn(-4) } });
	const page = await openIncident(server, newPage, 'handler', inc.id);
	const edit = page.getByRole('button', { name: 'Edit People affected ' +
	    '(approx.)' });
	await edit.click();
	const input = page.getByLabel('People affected (approx.)',
	    { exact: true });
	for (const bad of ['1.5', '1,5', '1,0000']) {
		await input.fill(bad);
		await page.getByRole('button', { name: 'Save', exact: true })
		    .click();
		await page.locator('#fact-subjects_count .field-error', {
		    hasText: /whole number/ }).waitFor();
	}
	assert.equal((await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`)).subjects_count, null);
	await input.fill('2 000');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('#fact-subjects_count .value', { hasText: '2,000' })
	    .waitFor();
	assert.equal((await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`)).subjects_count, 2000);
});

journey('incident-sent-before-discovery', async ({ server, newPage }) => {
	let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Customer list on a USB stick',
		    discovered_at: isoIn(-3) } });
	inc = await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`,
	    { body: { status: 'investigating', aware_at: isoIn(-2) },
		headers: { 'If-Match': `"${inc.version}"` } });
	const ico = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items.find((o) =>
	    o.regime_id === 'uk_gdpr_art33_ico');
	const page = await openIncident(server, newPage, 'handler', inc.id);
	const card = page.locator(`#ob-${ico.id}`);
	await card.locator('summary', { hasText: 'Record notification' })
	    .click();
	// Five hours ago, in London: before the incident was noticed.
	const wall = new Intl.DateTimeFormat('en-CA', { timeZone:
	    'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
	    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
	    .format(new Date(Date.now() - 5 * 3600e3)).replace(', ', 'T');
	await card.getByLabel('Sent at').fill(wall);
	await card.getByRole('button', { name: 'Record notification' }).click();
	await card.locator('.field-error', { hasText: /before the incident was noticed/ })
	    .waitFor();
	assert.equal(await card.getByLabel('Sent at')
	    .getAttribute('aria-invalid'), 'true');
	const after = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations/${ico.id}`));
	assert.equal(after.state, 'pending');
	assert.equal(after.notifications.length, 0);
});

journey('charts-negative-figures', async ({ server, newPage }) => {
	const page = await newPage();
	await signIn(page, server, 'viewer', { next: '/reports.html' });
	const sizes = await page.evaluate(async () => {
		const c = await import('/js/charts.js');
		const data = [{ label: 'a', value: -5 }, { label: 'b', value: 10 }];
		const out = [];
		for (const svg of [c.barChart({ title: 't', data }),
		    c.columnChart({ title: 't', data }),
		    c.barChart({ title: 't', data, max: 100 })])
			for (const r of svg.querySelectorAll('rect'))
				out.push([Number(r.getAttribute('width')),
				    Number(r.getAttribute('height'))]);
		return out;
	});
	assert.ok(sizes.length >= 6);
	for (const [w, hgt] of sizes)
		assert.ok(w >= 0 && hgt >= 0, JSON.stringify(sizes));
});

// Escape in an inline fact editor cancels it, as its Cancel button does:
// the saved value again, nothing sent, focus back on the Edit button.
journey('incident-escape-cancels-edit', async ({ server, newPage }) => {
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Printout left at reception',
		    discovered_at: isoIn(-3) } });
	const page = await openIncident(server, newPage, 'handler', inc.id);
	for (const [k, l, act] of [
		['title', 'Title', (i) => i.fill('Something else')],
		['description', 'What happened', (i) => i.fill('Typed, not kept')],
		['cause', 'Cause', (i) => i.selectOption('phishing')],
	]) {
		const edit = page.getByRole('button', { name: `Edit ${l}` });
		await edit.click();
		const input = page.getByLabel(l, { exact: true });
		await act(input);
		await input.press('Escape');
		await page.locator(`#fact-${k} form`).waitFor({ state: 'detached' });
		assert.ok(await edit.evaluate((b) => b === document.activeElement),
		    `focus on "Edit ${l}" after Escape`);
	}
	assert.match(await page.locator('#fact-title .value').textContent(),
	    /^Printout left at reception$/);
	const cur = await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`);
	assert.equal(cur.version, inc.version);
	assert.equal(cur.cause ?? null, null);
});

// An incident with no risk decision reads "Not decided" wherever its risk
// shows: the dashboard, the incident page, the register and the reports.
journey('risk-not-decided-everywhere', async ({ server, newPage }) => {
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Visitor badge list on a desk',
		    discovered_at: isoIn(-6) } });
	const page = await newPage();
	await signIn(page, server, 'dpo');
	const words = async (where, sel) => {
		const loc = page.locator(sel);
		await loc.first().waitFor({ state: 'attached' });
		const t = (await loc.allTextContents()).map((x) => x.trim());
		assert.ok(t.length > 0, `${where}: ${sel}`);
		for (const x of t)
			assert.equal(x, 'Not decided', `${where}: ${sel}`);
	};
	await page.goto(`${server.base}/`);
	await words('dashboard', '#content .badge.risk-none');
	await words('dashboard filter', 'select[name="risk"] option[value="none"]');
	await page.goto(`${server.base}/incident.html?id=${inc.id}`);
	await words('incident page', '#summary .badge.risk-none');
	await page.locator('#decision', { hasText: 'Not decided.' }).waitFor();
	await page.goto(`${server.base}/register.html`);
	await words('register', '#register .badge.risk-none');
	await words('register filter', 'select[name="risk"] option[value="none"]');
	await page.goto(`${server.base}/reports.html`);
	await words('reports', '#by-risk tbody th');
});

// Closing an incident with a notification duty still pending or missed
// asks first, on the page, listing each duty (regime, due time, state);
// nothing is sent until "Close anyway". With no open duty it just closes.
journey('incident-close-open-duties', async ({ server, newPage, shot }) => {
	const make = async (title, level) => {
		let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
			body: { title, discovered_at: isoIn(-81),
			    jurisdictions: ['GB'] } });
		inc = await server.api('handler', 'PATCH',
		    `/api/v1/incidents/${inc.id}`, { body: { status:
			'investigating', aware_at: isoIn(-80) },
			headers: { 'If-Match': `"${inc.version}"` } });
		await server.api('dpo', 'POST',
		    `/api/v1/incidents/${inc.id}/risk-decisions`,
		    { body: { level, rationale: 'As assessed.' } });
		for (const status of ['confirmed', 'contained']) {
			inc = await server.api('handler', 'GET',
			    `/api/v1/incidents/${inc.id}`);
			await server.api('handler', 'PATCH',
			    `/api/v1/incidents/${inc.id}`, { body: { status },
				headers: { 'If-Match': `"${inc.version}"` } });
		}
		return inc;
	};
	const inc = await make('Client files on a stolen laptop', 'high');
	const obs = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items;
	const open = obs.filter((o) => ['pending', 'missed'].includes(o.state));
	assert.deepEqual(open.map((o) => [o.regime_id, o.state]).sort(),
	    [['uk_gdpr_art33_ico', 'missed'],
		['uk_gdpr_art34_individuals', 'pending']]);
	const page = await openIncident(server, newPage, 'handler', inc.id);
	const patches = [];
	page.on('request', (r) => {
		if (r.method() === 'PATCH')
			patches.push(r.url());
	});
	const close = page.getByRole('button', { name: 'Close incident' });
	const box = page.getByRole('group', { name: 'Close the incident with ' +
	    '2 notification duties still open?' });
	await close.click();
	await box.waitFor();
	assert.ok(await page.locator('#close-confirm-h').evaluate((e) =>
		e === document.activeElement), 'focus on the question');
	const items = await box.locator('li').allTextContents();
	assert.equal(items.length, 2);
	assert.match(items[0], /^UK GDPR personal data breach - notification to ICO: due .+, Missed\.$/);
	assert.match(items[1], /^UK GDPR - communication to data subjects: due .+, Pending\.$/);
	for (const o of open)
		assert.equal(await box.locator(`time[datetime="${o.due_at}"]`)
		    .count(), 1, `due time of ${o.regime_id}`);
	await checkA11y(page, { label: 'incident page, close confirmation' });
	await shot(page, 'close-confirm');
	// Escape, and "Keep it open", go back to the Close button.
	await page.keyboard.press('Escape');
	await box.waitFor({ state: 'detached' });
	assert.ok(await close.evaluate((e) => e === document.activeElement));
	await close.click();
	await box.getByRole('button', { name: 'Keep it open' }).click();
	await box.waitFor({ state: 'detached' });
	assert.ok(await close.evaluate((e) => e === document.activeElement));
	assert.deepEqual(patches, []);
	assert.equal((await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`)).status, 'contained');
	await close.click();
	await box.getByRole('button', { name: 'Close anyway' }).click();
	await page.locator('.steps li[aria-current="step"]', { hasText:
	    'Closed' }).waitFor();
	assert.equal(patches.length, 1);
	assert.equal((await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`)).status, 'closed');

	// No open duty: Close closes at once.
	const quiet = await make('Shredding bin left unlocked', 'unlikely');
	assert.ok((await server.api('handler', 'GET',
	    `/api/v1/incidents/${quiet.id}/obligations`)).items.every((o) =>
	    !['pending', 'missed'].includes(o.state)));
	await page.goto(`${server.base}/incident.html?id=${quiet.id}`);
	await page.getByRole('button', { name: 'Close incident' }).click();
	await page.locator('.steps li[aria-current="step"]', { hasText:
	    'Closed' }).waitFor();
	assert.equal(await page.locator('#close-confirm').count(), 0);
});
