// Journeys: times across time zones. fromLocalInput() (ui.js) reads a
// wall time that a DST change repeats as its first occurrence and one it
// skips with the offset before the change, in every zone, given or the
// browser's. The date filters of the register and of the reports are days
// in the user's zone.

import assert from 'node:assert/strict';
import { journey, signIn } from './harness.mjs';

// [wall time, zone, the UTC instant it must read as]
const CASES = [
	['2026-07-01T12:00', 'Europe/London', '2026-07-01T11:00:00Z'],
	['2026-01-01T00:00', 'Asia/Kolkata', '2025-12-31T18:30:00Z'],
	// Repeated: the first occurrence, in the offset before the change.
	['2026-10-25T01:30', 'Europe/London', '2026-10-25T00:30:00Z'],
	['2026-11-01T01:30', 'America/Los_Angeles', '2026-11-01T08:30:00Z'],
	['2026-04-05T02:30', 'Australia/Sydney', '2026-04-04T15:30:00Z'],
	['2026-04-05T01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00Z'],
	// Skipped: read with the offset before the change.
	['2026-03-29T01:30', 'Europe/London', '2026-03-29T01:30:00Z'],
	['2026-03-08T02:30', 'America/Los_Angeles', '2026-03-08T10:30:00Z'],
	['2026-10-04T02:30', 'Australia/Sydney', '2026-10-03T16:30:00Z'],
];

journey('time-zones-wall-times', async ({ server, newPage }) => {
	// The browser's own zone is Los Angeles: fromLocalInput without a
	// zone reads in it.
	const page = await newPage({ timezoneId: 'America/Los_Angeles' });
	await signIn(page, server, 'handler', { next: '/register.html' });
	const got = await page.evaluate(async (cases) => {
		const ui = await import('/js/ui.js');
		return {
			given: cases.map(([w, tz]) => ui.fromLocalInput(w, tz)),
			browser: ['2026-11-01T01:30', '2026-03-08T02:30']
			    .map((w) => ui.fromLocalInput(w)),
		};
	}, CASES);
	CASES.forEach(([w, tz, want], i) =>
		assert.equal(got.given[i], want, `${w} in ${tz}`));
	assert.deepEqual(got.browser, ['2026-11-01T08:30:00Z',
	    '2026-03-08T10:30:00Z']);
});

journey('time-zones-register-days', async ({ server, newPage, shot }) => {
	server.addUser('lana', 'viewer', { tz: 'America/Los_Angeles' });
	// 27 Nov 16:01 in Los Angeles (28 Nov in UTC): in the day 27 Nov.
	const late = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Late on the 27th', discovered_at:
		    '2025-11-28T00:01:00Z' } });
	// 26 Nov 23:59 in Los Angeles (27 Nov in UTC): not in it.
	const early = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Late on the 26th', discovered_at:
		    '2025-11-27T07:59:00Z' } });
	const page = await newPage({ timezoneId: 'Europe/London' });
	await signIn(page, server, 'lana',
	    { next: '/register.html?from=2025-11-27&to=2025-11-27' });
	await page.locator('#count', { hasText: '1 incident discovered from ' +
	    '2025-11-27 to 2025-11-27.' }).waitFor();
	const rows = await page.locator('#register tbody tr').allTextContents();
	assert.equal(rows.length, 1);
	assert.ok(rows[0].includes(late.ref), rows[0]);
	assert.ok(!rows[0].includes(early.ref));
	assert.match(await page.locator('#range-zone').textContent(),
	    /America\/Los_Angeles/);
	// The exports cover the same days.
	const href = await page.getByRole('link', { name: /^Download CSV/ })
	    .getAttribute('href');
	const q = new URL(href, server.base).searchParams;
	assert.equal(q.get('from'), '2025-11-27T08:00:00Z');
	assert.equal(q.get('to'), '2025-11-28T07:59:59Z');
	await shot(page, 'register-la');
});

journey('time-zones-reports-days', async ({ server, newPage }) => {
	server.addUser('lana', 'viewer', { tz: 'America/Los_Angeles' });
	// 27 Nov 16:01 in Los Angeles (28 Nov in UTC): in the day 27 Nov.
	await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Late on the 27th', discovered_at:
		    '2025-11-28T00:01:00Z' } });
	// 26 Nov 23:59 in Los Angeles (27 Nov in UTC): not in it.
	await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Late on the 26th', discovered_at:
		    '2025-11-27T07:59:00Z' } });
	const page = await newPage({ timezoneId: 'Europe/London' });
	const asked = [];
	page.on('request', (r) => {
		const u = new URL(r.url());
		if (u.pathname === '/api/v1/reports')
			asked.push(u.searchParams);
	});
	await signIn(page, server, 'lana',
	    { next: '/reports.html?from=2025-11-27&to=2025-11-27' });
	await page.locator('#period', { hasText: 'Incidents discovered from ' +
	    '27 November 2025 to 27 November 2025: 1 incident.' }).waitFor();
	const q = asked[asked.length - 1];
	assert.equal(q.get('from'), '2025-11-27T08:00:00Z');
	assert.equal(q.get('to'), '2025-11-28T07:59:59Z');
	assert.match(await page.locator('#range-zone').textContent(),
	    /America\/Los_Angeles/);
	for (const id of ['from', 'to'])
		assert.equal(await page.locator(`#${id}`)
		    .getAttribute('aria-describedby'), 'range-zone');
	// The same days, asked for on the form.
	await page.getByLabel('Discovered from').fill('2025-11-26');
	await page.getByLabel('Discovered to').fill('2025-11-26');
	await page.getByRole('button', { name: 'Show figures' }).click();
	await page.locator('#period', { hasText: 'Incidents discovered from ' +
	    '26 November 2025 to 26 November 2025: 1 incident.' }).waitFor();
	assert.equal(asked[asked.length - 1].get('to'), '2025-11-27T07:59:59Z');
	// Months are the user's too: 30 Nov 19:00 in Los Angeles is
	// 1 Dec 03:00 UTC, and counts in November.
	await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Evening of the 30th', discovered_at:
		    '2025-12-01T03:00:00Z' } });
	await page.getByLabel('Discovered from').fill('2025-11-30');
	await page.getByLabel('Discovered to').fill('2025-11-30');
	await page.getByRole('button', { name: 'Show figures' }).click();
	await page.locator('#period', { hasText: 'Incidents discovered from ' +
	    '30 November 2025 to 30 November 2025: 1 incident.' }).waitFor();
	assert.equal(asked[asked.length - 1].get('tz'), 'America/Los_Angeles');
	assert.deepEqual(await page.locator('table', { has: page.locator(
	    'caption', { hasText: /^Incidents by month$/ }) })
	    .locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
		[...tr.children].map((c) => c.textContent))),
	    [['Nov 2025', '1']]);
	assert.match(await page.locator('#by-month .section-intro')
	    .textContent(), /\(America\/Los_Angeles\)/);
});
