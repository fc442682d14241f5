// Journey: a viewer (leadership) reads the breach register and the report.
// Four incidents are seeded through the API (a handler's token); the
// register lists them, filters and sorts them (by mouse and keyboard), and
// exports CSV and a printable page; the report shows the figures those
// incidents make (worked out here from what was seeded, not read back
// from the reports API), and prints to an A4 board pack. The viewer sees
// no control that writes, and a write forced through the page's own api()
// is refused with 403.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SHOT_DIR, isoIn, journey, signIn } from './harness.mjs';

// Create an incident as handler and walk it to its state; returns it.
async function seed(server, { title, cause, subjects, discovered, aware,
    risk, icoSentAt, notABreach }) {
	let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title, cause, discovered_at: isoIn(discovered),
		    jurisdictions: ['GB'], data_categories: ['basic_identifiers'],
		    subject_categories: ['employees'],
		    subjects_count: subjects },
	});
	const patch = async (body) => {
		inc = await server.api('handler', 'PATCH',
		    `/api/v1/incidents/${inc.id}`, { body,
			headers: { 'If-Match': `"${inc.version}"` } });
	};
	if (aware !== undefined)
		await patch({ status: 'investigating', aware_at: isoIn(aware) });
	if (notABreach) {
		await patch({ status: 'not_a_breach',
		    not_a_breach_reason: notABreach });
	}
	if (risk) {
		await server.api('handler', 'POST',
		    `/api/v1/incidents/${inc.id}/risk-decisions`,
		    { body: { level: risk, rationale: `Seeded as ${risk}.` } });
	}
	if (icoSentAt !== undefined) {
		const obs = await server.api('handler', 'GET',
		    `/api/v1/incidents/${inc.id}/obligations`);
		const ico = obs.items.find((o) =>
		    o.regime_id === 'uk_gdpr_art33_ico');
		assert.ok(ico, `${title}: no ICO obligation`);
		await server.api('handler', 'POST', `/api/v1/incidents/${inc.id}` +
		    `/obligations/${ico.id}/notifications`, { body: {
			sent_at: isoIn(icoSentAt), reference: `IC-${inc.id}` } });
	}
	return inc;
}

function run(cmd, args) {
	const p = spawnSync(cmd, args, { encoding: 'utf8' });
	assert.equal(p.status, 0, `${cmd} ${args.join(' ')}: ${p.stderr}`);
	return p.stdout;
}

// The text of each body row of the register's table, column by column.
async function rows(page) {
	return page.locator('table.sortable tbody tr').evaluateAll((trs) =>
		trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

async function buttonNames(page) {
	return page.locator('main button').evaluateAll((bs) =>
		bs.map((b) => b.textContent.replace(/[\u2191-\u21ff\u25b2\u25bc]/g,
		    '').trim()));
}

journey('leadership-viewer', async ({ server, newPage, shot }) => {
	// Awareness to ICO notice: 30 h for the laptop, 24 h for the
	// phishing: nearest-rank median of [24, 30] is 24 h, the 90th 30 h.
	const laptop = await seed(server, { title: 'Laptop with HR files stolen',
	    cause: 'lost_or_stolen_device', subjects: 120, discovered: -50,
	    aware: -48, risk: 'risk', icoSentAt: -18 });
	const phish = await seed(server, { title: 'Phishing e-mail harvested ' +
	    'staff passwords', cause: 'phishing', subjects: 35, discovered: -30,
	    aware: -29, risk: 'high', icoSentAt: -5 });
	const payslips = await seed(server, { title: 'Payslips e-mailed to the ' +
	    'wrong team', cause: 'misdirected_email', subjects: null,
	    discovered: -10 });
	// Not a breach: its 500 people are not counted as affected.
	const alarm = await seed(server, { title: 'False alarm: test records',
	    cause: 'other', subjects: 500, discovered: -40, aware: -39,
	    notABreach: 'The records were synthetic test data.' });

	const page = await newPage();
	await signIn(page, server, 'viewer', { next: '/register.html' });
	assert.equal(new URL(page.url()).pathname, '/register.html');

	// ------------------------------------------------------- register
	const count = page.locator('#count');
	await page.locator('#count', { hasText: '4 incidents.' }).waitFor();
	let r = await rows(page);
	assert.equal(r.length, 4);
	// Newest discovery first by default.
	assert.deepEqual(r.map((c) => c[1]), [payslips.title, phish.title,
	    alarm.title, laptop.title]);
	const byRef = Object.fromEntries(r.map((c) => [c[0], c]));
	assert.equal(byRef[laptop.ref][2], 'Investigating');
	assert.equal(byRef[laptop.ref][3], 'Loss or theft of a device');
	assert.equal(byRef[laptop.ref][4], 'Risk');
	assert.equal(byRef[laptop.ref][7], '120');
	assert.match(byRef[laptop.ref][8], /^Information Commissioner.*met on time$/);
	assert.equal(byRef[payslips.ref][4], 'Not decided');
	assert.equal(byRef[payslips.ref][7], 'Unknown');
	assert.equal(byRef[alarm.ref][2], 'Not a breach');
	assert.equal(await page.locator('th[aria-sort]').count(), 1);
	assert.equal(await page.locator('th[aria-sort="descending"]')
	    .textContent().then((t) => t.includes('Discovered')), true);
	await shot(page, 'register');

	// Sort by people affected: first press descending (most first),
	// unknown last either way.
	const people = page.getByRole('button', { name: /^People affected/ });
	await people.click();
	r = await rows(page);
	assert.deepEqual(r.map((c) => c[7]), ['500', '120', '35', 'Unknown']);
	assert.equal(await page.locator('th', { has: people })
	    .getAttribute('aria-sort'), 'descending');
	await page.getByRole('status').filter({ hasText:
	    'Sorted by People affected, descending.' }).waitFor();
	// The keyboard does the same: Enter on the focused header button.
	await people.focus();
	await page.keyboard.press('Enter');
	r = await rows(page);
	assert.deepEqual(r.map((c) => c[7]), ['35', '120', '500', 'Unknown']);
	assert.equal(await page.locator('th', { has: people })
	    .getAttribute('aria-sort'), 'ascending');
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.press('Space');
	assert.equal(await page.locator('th[aria-sort]').textContent()
	    .then((t) => t.startsWith('Aware')), true);
	assert.match(page.url(), /sort=-aware/);

	// Filters: cause, then risk, then a date range with nothing in it.
	await page.getByLabel('Cause').selectOption('phishing');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await page.locator('#count', { hasText: 'Showing 1 of 4 incidents.' })
	    .waitFor();
	r = await rows(page);
	assert.deepEqual(r.map((c) => c[1]), [phish.title]);
	assert.match(page.url(), /cause=phishing/);
	await page.getByLabel('Cause').selectOption('');
	await page.getByLabel('Risk').selectOption('none');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await page.locator('#count', { hasText: 'Showing 2 of 4' }).waitFor();
	assert.deepEqual((await rows(page)).map((c) => c[0]).sort(),
	    [payslips.ref, alarm.ref].sort());
	await shot(page, 'register-filtered');
	// The filters survive a reload (they are in the query string).
	await page.reload();
	await page.locator('#count', { hasText: 'Showing 2 of 4' }).waitFor();
	assert.equal(await page.getByLabel('Risk').inputValue(), 'none');
	await page.getByRole('button', { name: 'Clear' }).click();
	await page.locator('#count', { hasText: /^4 incidents\.$/ }).waitFor();
	const later = new Date(Date.now() + 3 * 86400e3).toISOString()
	    .slice(0, 10);
	await page.getByLabel('Discovered from').fill(later);
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await page.locator('#count', { hasText: `0 incidents discovered on or ` +
	    `after ${later}.` }).waitFor();
	assert.equal(await page.locator('td.empty').textContent(),
	    'No incident matches these filters.');
	// The export covers the same days: from the first instant of `later`
	// in the viewer's zone (London).
	const csvHref = new URL(await page.getByRole('link', { name:
	    /^Download CSV/ }).getAttribute('href'), server.base);
	assert.deepEqual([...csvHref.searchParams.keys()], ['from', 'format']);
	assert.equal(csvHref.searchParams.get('format'), 'csv');
	const from = new Date(csvHref.searchParams.get('from'));
	assert.equal(new Intl.DateTimeFormat('en-CA', { timeZone:
	    'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
	    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(from),
	    `${later}, 00:00`);
	await page.getByRole('button', { name: 'Clear' }).click();
	await page.locator('#count', { hasText: /^4 incidents\.$/ }).waitFor();

	// Export CSV: a real download of the whole register.
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.getByRole('link', { name: /^Download CSV/ }).click()]);
	assert.equal(dl.suggestedFilename(), 'breach-register.csv');
	const csv = fs.readFileSync(await dl.path(), 'utf8');
	assert.match(csv, /^id,ref,title,status,cause,/);
	for (const inc of [laptop, phish, payslips, alarm])
		assert.ok(csv.includes(`,${inc.ref},${inc.title},`),
		    `${inc.ref} in the CSV`);
	assert.match(csv, /uk_gdpr_art33_ico notification: met/);

	// The printable page opens from the same place.
	await page.getByRole('link', { name: /^Printable page/ }).click();
	await page.waitForURL(/\/api\/v1\/register\?format=html$/);
	const printable = await page.locator('body').textContent();
	for (const inc of [laptop, phish, payslips, alarm])
		assert.ok(printable.includes(inc.title), `${inc.title} printable`);
	await shot(page, 'register-printable');
	await page.goBack();
	await page.locator('#count', { hasText: /^4 incidents\.$/ }).waitFor();

	// Nothing here writes: only the filter and sort buttons.
	assert.deepEqual((await buttonNames(page)).sort(), ['Apply filters',
	    'Aware', 'Cause', 'Clear', 'Discovered', 'People affected',
	    'Reference', 'Risk', 'Status', 'Title']);

	// --------------------------------------------------------- report
	await page.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name: 'Reports' }).click();
	await page.waitForURL(/\/reports\.html$/);
	await page.locator('#fig-incidents .figure').waitFor();
	const fig = async (id) => (await page.locator(`#${id}`)
	    .innerText()).replace(/\s+/g, ' ').trim();
	assert.equal(await page.locator('#fig-incidents .figure').textContent(),
	    '4');
	assert.match(await fig('fig-incidents'), /1 found not to be a breach\./);
	assert.equal(await page.locator('#fig-people .figure').textContent(),
	    '155');
	assert.match(await fig('fig-people'),
	    /Across 2 incidents with a count; 1 not yet known\./);
	assert.equal(await page.locator('#fig-ico .figure').textContent(),
	    '24 h');
	assert.match(await fig('fig-ico'), /over 2 notices; 90th percentile 30 h/);
	// Both ICO notices were on time; whatever else is owed, the share
	// the page shows is the one the API computes.
	const api = await server.api('viewer', 'GET', '/api/v1/reports');
	assert.equal(api.obligations.met_on_time, 2);
	const share = new Intl.NumberFormat('en-GB', { style: 'percent',
	    maximumFractionDigits: 1 }).format(api.obligations.met_on_time_share);
	assert.equal(await page.locator('#fig-ontime .figure').textContent(),
	    share);
	const ob = api.obligations;
	assert.ok((await fig('fig-ontime')).startsWith('Deadlines met on time ' +
	    `${share} 2 of ${ob.met_on_time + ob.met_late + ob.missed} that ` +
	    `fell due; ${ob.met_late} late, ${ob.missed} missed, ${ob.pending} ` +
	    'not yet due.'), await fig('fig-ontime'));

	// Each chart is an image with a name and a description, and the
	// same numbers stand in a table beside it.
	const table = async (caption) => page.locator('table', { has:
	    page.locator('caption', { hasText: new RegExp(`^${caption}$`) }) })
	    .locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
		[...tr.children].map((c) => c.textContent)));
	assert.deepEqual((await table('Incidents by cause')).sort(), [
		['Data e-mailed to the wrong recipient', '1', '25%'],
		['Loss or theft of a device', '1', '25%'],
		['Other', '1', '25%'],
		['Phishing', '1', '25%'],
	]);
	assert.deepEqual(await table('Incidents by risk'), [
		['High risk', '1', '25%'], ['Risk', '1', '25%'],
		['Not decided', '2', '50%'],
	]);
	const month = await table('Incidents by month');
	assert.equal(month.reduce((a, m) => a + Number(m[1]), 0), 4);
	const charts = page.locator('svg[role="img"]');
	assert.ok(await charts.count() >= 6);
	const causeChart = page.getByRole('img', { name: 'Incidents by cause' });
	assert.match(await causeChart.locator('desc').textContent(),
	    /Phishing: 1/);
	assert.deepEqual((await buttonNames(page)).sort(),
	    ['Print board pack', 'Show figures']);
	await shot(page, 'reports');

	// A period with no incident.
	await page.getByLabel('Discovered from').fill(later);
	await page.getByRole('button', { name: 'Show figures' }).click();
	await page.locator('#period', { hasText: ': 0 incidents.' }).waitFor();
	assert.equal(await page.locator('#fig-incidents .figure').textContent(),
	    '0');
	assert.match(page.url(), new RegExp(`from=${later}$`));
	await page.getByLabel('Discovered from').fill('');
	await page.getByRole('button', { name: 'Show figures' }).click();
	await page.locator('#period', { hasText: ': 4 incidents.' }).waitFor();

	// Print to PDF: an A4 board pack, a title page and then a page per
	// section, without the navigation or the form.
	fs.mkdirSync(SHOT_DIR, { recursive: true });
	const pdf = path.join(SHOT_DIR, 'leadership-viewer-board-pack.pdf');
	await page.emulateMedia({ media: 'print' });
	await shot(page, 'reports-print');
	await page.pdf({ path: pdf, format: 'A4', printBackground: true });
	await page.emulateMedia({ media: 'screen' });
	const info = run('pdfinfo', [pdf]);
	const pages = Number(/^Pages:\s+(\d+)/m.exec(info)[1]);
	assert.ok(pages >= 8, `board pack has ${pages} pages`);
	assert.match(info, /^Page size:.*\(A4\)/m);
	const first = run('pdftotext', ['-f', '1', '-l', '1', pdf, '-']);
	assert.match(first, /Personal-data breaches: report to\s+the board/);
	assert.match(first, /All incidents on record/);
	assert.doesNotMatch(first, /Summary/);
	const text = run('pdftotext', ['-layout', pdf, '-']);
	for (const want of ['Summary', 'Incidents by month', 'Incidents by cause',
	    'Incidents by risk', 'Notification deadlines',
	    'Time from awareness to notice', 'Phishing', '155', '24 h'])
		assert.ok(text.includes(want), `"${want}" in the PDF`);
	for (const not of ['Sign out', 'Show figures', 'Print board pack',
	    'Skip to main content'])
		assert.ok(!text.includes(not), `"${not}" not in the PDF`);
	// Each section starts a page of its own.
	const starts = [];
	for (let p = 2; p <= pages; p++)
		starts.push(run('pdftotext', ['-f', String(p), '-l', String(p),
		    pdf, '-']).trim().split('\n')[0]);
	for (const h2 of ['Summary', 'Incidents by month', 'Incidents by cause',
	    'Incidents by risk', 'Incidents by status', 'Notification deadlines',
	    'Time from awareness to notice'])
		assert.ok(starts.includes(h2), `"${h2}" starts a page: ${starts}`);

	// ------------------------------------------------ cannot edit
	// The incident page shows no editing controls to a viewer...
	const before = await server.api('handler', 'GET',
	    `/api/v1/incidents/${laptop.id}`);
	await page.goto(`${server.base}/incident.html?id=${laptop.id}`);
	await page.getByText('You can read this incident; only handlers and ' +
	    'the DPO can change it.').waitFor();
	assert.equal(await page.locator('main form').count(), 0);
	const names = await buttonNames(page);
	assert.ok(!names.some((n) => /^(Edit|Save|Record|Assess|Add|Confirm|Start|Contain|Close|Waive)/
	    .test(n)), `write buttons shown to a viewer: ${names}`);
	await shot(page, 'incident-read-only');
	// ...and writes forced through the page's own api() are refused.
	const forced = await page.evaluate(async ({ id, version }) => {
		const { api } = await import('/js/api.js');
		const out = [];
		for (const [method, p, body, etag] of [
			['PATCH', `/api/v1/incidents/${id}`,
			    { title: 'Changed by a viewer' }, `"${version}"`],
			['POST', `/api/v1/incidents/${id}/notes`,
			    { text: 'A viewer note' }],
			['POST', '/api/v1/incidents', { title: 'By a viewer',
			    discovered_at: new Date().toISOString()
				.replace(/\.\d+Z$/, 'Z') }],
		]) {
			try {
				await api(method, p, { body, etag });
				out.push('allowed');
			} catch (e) {
				out.push(`${e.status} ${e.kind}`);
			}
		}
		return out;
	}, { id: laptop.id, version: before.version });
	assert.deepEqual(forced, ['403 forbidden', '403 forbidden',
	    '403 forbidden']);
	const after = await server.api('handler', 'GET',
	    `/api/v1/incidents/${laptop.id}`);
	assert.equal(after.title, laptop.title);
	assert.equal(after.version, before.version);
});
