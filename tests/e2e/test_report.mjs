// Journey: a member of staff (role reporter) reports a suspected breach on
// a phone-sized screen. The form fits 360 px without sideways scrolling,
// says which field is missing, reads "when noticed" in the reporter's own
// time zone (New York here, while the phone's clock is set to London),
// and afterwards shows the reference and what happens next. The server
// holds what was typed, and the security team's alert is queued.

import assert from 'node:assert/strict';
import { PHONE, journey, signIn } from './harness.mjs';

journey('report', async ({ server, newPage, shot }) => {
	server.addUser('rita', 'reporter', { tz: 'America/New_York' });
	const page = await newPage({ viewport: PHONE,
	    timezoneId: 'Europe/London' });

	// A reporter's home is the report form.
	const formBefore = new Date();
	await signIn(page, server, 'rita');
	assert.equal(new URL(page.url()).pathname, '/report.html');
	await page.getByLabel('What happened, in a few words').waitFor();
	const width = await page.evaluate(() =>
		document.documentElement.scrollWidth);
	assert.ok(width <= PHONE.width, `page is ${width} px wide on a phone`);
	await shot(page, 'form');

	// "When noticed" starts at now, in New York time: the hour of an
	// instant between loading the form and reading it (the hour may turn
	// in between).
	const shown = await page.getByLabel('When did you notice it?')
	    .inputValue();
	const nyHour = (d) => new Intl.DateTimeFormat('en-CA', {
		timeZone: 'America/New_York', year: 'numeric', month: '2-digit',
		day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
	}).format(d).replace(', ', 'T').slice(0, 13);
	assert.ok([nyHour(formBefore), nyHour(new Date())]
	    .includes(shown.slice(0, 13)), `${shown}: ` +
	    'discovered_at defaults to now in the reporter\'s zone');
	assert.match(await page.getByText(/Your local time/).textContent(),
	    /America\/New_York/);

	// Nothing typed: the title is flagged, next to the field.
	await page.getByRole('button', { name: 'Send report' }).click();
	const title = page.getByLabel('What happened, in a few words');
	assert.equal(await title.getAttribute('aria-invalid'), 'true');
	const errId = (await title.getAttribute('aria-describedby')).split(' ')
	    .find((x) => x.startsWith('err-'));
	assert.match(await page.locator(`#${errId}`).textContent(),
	    /what happened/i);
	assert.equal(await page.evaluate(() => document.activeElement.id),
	    'title');

	// Fill it in with thumbs, as on a phone.
	await title.fill('Payroll spreadsheet e-mailed to the wrong customer');
	await page.getByLabel('Tell us more (optional)').fill(
	    'Sent at 08:10 to a customer with a similar name; they replied.');
	await page.getByLabel('Contact details (addresses, e-mail, phone)').tap();
	await page.getByLabel('Financial (bank, card, salary)').tap();
	await page.getByText('More kinds of data').tap();
	await page.getByLabel('Health data').tap();
	// A number of people is whole: "1.5" and "1,5" are refused here
	// (not read as 15), and thousands separators are fine.
	const people = page.getByLabel('Roughly how many people are affected?');
	for (const bad of ['1.5', '1,5', '12,00', '-3']) {
		await people.fill(bad);
		await page.getByRole('button', { name: 'Send report' }).tap();
		assert.equal(await people.getAttribute('aria-invalid'), 'true', bad);
		await page.locator('.field-error', { hasText: /whole number/ })
		    .waitFor();
		assert.equal(new URL(page.url()).pathname, '/report.html');
	}
	assert.equal((await server.api('handler', 'GET',
	    '/api/v1/incidents')).items.length, 0, 'nothing was sent');
	await people.fill('1,200');
	const contact = page.getByLabel('How can the security team reach you?');
	assert.equal(await contact.inputValue(), 'rita@example.com');
	// Autofill tokens: the contact is the reporter's e-mail address
	// (prefilled with it), and nothing else is the reporter's own data.
	const tokens = await page.locator('#report').evaluate((f) =>
		Object.fromEntries([...f.querySelectorAll('input:not([type=' +
		    'checkbox]), textarea, select')].map((e) => [e.name,
		    e.getAttribute('autocomplete')])));
	assert.deepEqual(tokens, { title: 'off', description: 'off',
	    discovered_at: 'off', subjects_count: 'off', contact: 'email' });
	await contact.fill('+1 212 555 0100');
	await shot(page, 'filled');
	await page.getByRole('button', { name: 'Send report' }).tap();

	// What happens next, with the reference.
	const done = page.getByRole('region', { name: /your report is in/ });
	await done.waitFor();
	const ref = (await page.locator('#ref').textContent()).trim();
	assert.match(ref, /^BR-\d{4}-\d{4,}$/);
	const text = await done.textContent();
	assert.match(text, /security team has been alerted/);
	assert.match(text, /72 hours/);
	assert.match(text, /clock starts when the organisation becomes aware/);
	assert.match(text, new RegExp(`quote ${ref}`));
	assert.equal(await page.evaluate(() => document.activeElement.id),
	    'done', 'focus moves to the confirmation');
	assert.ok(await page.evaluate(() =>
		document.documentElement.scrollWidth) <= PHONE.width);
	await shot(page, 'done');

	// The server has it as typed, reported by rita, noticed about now.
	const list = await server.api('handler', 'GET',
	    `/api/v1/incidents?q=${encodeURIComponent(ref)}`);
	assert.equal(list.items.length, 1);
	const inc = list.items[0];
	assert.equal(inc.ref, ref);
	assert.equal(inc.reporter, 'rita');
	assert.equal(inc.status, 'suspected');
	assert.equal(inc.title, 'Payroll spreadsheet e-mailed to the wrong ' +
	    'customer');
	assert.deepEqual([...inc.data_categories].sort(),
	    ['contact_details', 'financial', 'health']);
	assert.equal(inc.subjects_count, 1200);
	assert.match(inc.description, /similar name/);
	assert.match(inc.description, /How to reach the reporter: \+1 212 555 0100/);
	const age = Date.now() - Date.parse(inc.discovered_at);
	assert.ok(age >= 0 && age < 3 * 60e3, `discovered_at ${inc.discovered_at}`);

	// The security team (and the DPO) are alerted.
	const alerts = await server.api('admin', 'GET',
	    `/api/v1/alerts?incident_id=${inc.id}`);
	const reported = alerts.items.find((a) => a.kind === 'event' &&
	    a.data.name === 'incident.reported');
	assert.ok(reported, JSON.stringify(alerts.items));
	assert.ok(reported.audience.includes('security'));

	// Their own report, read-only.
	await page.getByRole('link', { name: 'See your report' }).tap();
	await page.waitForURL(/\/incident\.html\?id=\d+$/);
	await page.getByRole('heading', { level: 1, name: new RegExp(ref) })
	    .waitFor();
	await page.getByText('only handlers and the DPO can change it').waitFor();
	assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0);
	assert.equal(await page.getByRole('button', { name: 'Start investigating' })
	    .count(), 0);
	await shot(page, 'own-incident');
});
