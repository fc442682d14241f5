// Journey: the register, reports and admin pages pass axe-core's WCAG 2.2
// A/AA rules with zero violations in every state a person meets (loaded,
// filtered, sorted, with a dialog open, with a form error, with a new
// token's secret on screen) on a desktop and on a 360 px phone, where the
// page itself never scrolls sideways. Text that people type (an incident
// title, a regime name, a holiday title) full of markup is shown as text,
// never run: no element it describes appears and no script it holds runs.

import assert from 'node:assert/strict';
import { PHONE, checkA11y, isoIn, journey, signIn } from './harness.mjs';

const HOSTILE = '<img src=x onerror="window.__pwned=1"> "Quotes" & ' +
    '\'apostrophes\' <script>window.__pwned=2</script>';
const HOSTILE_REGIME = '<svg onload="window.__pwned=3">ICO</svg>';
const HOSTILE_HOLIDAY = '<iframe src="javascript:window.__pwned=4"></iframe>';

// Nothing hostile ran and none of its elements exists.
async function assertInert(page) {
	assert.equal(await page.evaluate(() => window.__pwned), undefined);
	assert.equal(await page.locator('main img, main script, main iframe, ' +
	    'main svg[onload], dialog img, dialog iframe').count(), 0);
}

async function noSideScroll(page) {
	const w = await page.evaluate(() =>
		document.documentElement.scrollWidth);
	assert.ok(w <= PHONE.width, `page is ${w} px wide on a phone`);
}

journey('leadership-a11y', async ({ server, newPage, shot }) => {
	// An incident with a hostile title, aware, decided and notified, so
	// it is in every table; the ICO regime with a hostile name.
	let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: HOSTILE, discovered_at: isoIn(-30), cause: 'malware',
		    jurisdictions: ['GB'], subjects_count: 12,
		    data_categories: ['financial'],
		    subject_categories: ['customers'] } });
	inc = await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`,
	    { body: { status: 'investigating', aware_at: isoIn(-28) },
		headers: { 'If-Match': `"${inc.version}"` } });
	await server.api('handler', 'POST',
	    `/api/v1/incidents/${inc.id}/risk-decisions`,
	    { body: { level: 'risk', rationale: HOSTILE } });
	const obs = await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`);
	const ico = obs.items.find((o) => o.regime_id === 'uk_gdpr_art33_ico');
	await server.api('handler', 'POST', `/api/v1/incidents/${inc.id}` +
	    `/obligations/${ico.id}/notifications`,
	    { body: { sent_at: isoIn(-4), reference: HOSTILE.slice(0, 60) } });
	const ico33 = await server.api('admin', 'GET',
	    '/api/v1/regimes/uk_gdpr_art33_ico');
	await server.api('admin', 'PATCH', '/api/v1/regimes/uk_gdpr_art33_ico',
	    { body: { name: HOSTILE_REGIME },
	    headers: { 'If-Match': `"${ico33.version}"` } });
	await server.api('admin', 'PUT', '/api/v1/holiday-sets/gb-ni',
	    { body: { dates: [{ date: '2031-03-17', title: HOSTILE_HOLIDAY }] } });

	for (const [label, viewport] of [['desktop', undefined],
	    ['phone', PHONE]]) {
		const page = await newPage(viewport ? { viewport } : {});
		const phone = label === 'phone';

		// ------------------------------------------------- register
		await signIn(page, server, 'viewer', { next: '/register.html' });
		await page.locator('#count', { hasText: '1 incident.' }).waitFor();
		const title = page.locator('table.sortable tbody td .title');
		assert.equal(await title.textContent(), HOSTILE);
		await assertInert(page);
		await checkA11y(page, { label: `register (${label})` });
		if (phone)
			await noSideScroll(page);
		await shot(page, `register-${label}`);
		// Sorted, and filtered down to nothing.
		await page.getByRole('button', { name: /^Title/ }).click();
		await page.getByLabel('Cause').selectOption('phishing');
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await page.locator('td.empty').waitFor();
		await checkA11y(page, { label: `register filtered (${label})` });
		// A period that ends before it starts: the server's problem is
		// shown on the form.
		await page.getByLabel('Cause').selectOption('');
		await page.getByLabel('Discovered from').fill('2026-05-02');
		await page.getByLabel('Discovered to').fill('2026-05-01');
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await page.locator('#filters .field-error, #filters .form-error')
		    .first().waitFor();
		await checkA11y(page, { label: `register error (${label})` });
		await shot(page, `register-error-${label}`);

		// The printable export escapes it too (its own CSP forbids
		// scripts whatever happens; the text must still read right).
		if (!phone) {
			await page.goto(`${server.base}/api/v1/register?format=html`);
			assert.ok((await page.locator('body').textContent())
			    .includes(HOSTILE));
			assert.equal(await page.locator('img, script, iframe')
			    .count(), 0);
			assert.equal(await page.evaluate(() => window.__pwned),
			    undefined);
		}

		// -------------------------------------------------- reports
		await page.goto(`${server.base}/reports.html`);
		await page.locator('#fig-incidents .figure').waitFor();
		const regimeCell = page.locator('table', { has: page.locator(
		    'caption', { hasText: 'Hours to notice, by regime' }) })
		    .locator('tbody th');
		assert.equal(await regimeCell.textContent(), HOSTILE_REGIME);
		await assertInert(page);
		await checkA11y(page, { label: `reports (${label})` });
		if (phone)
			await noSideScroll(page);
		await shot(page, `reports-${label}`);
		await page.getByLabel('Discovered from').fill('2026-05-02');
		await page.getByLabel('Discovered to').fill('2026-05-01');
		await page.getByRole('button', { name: 'Show figures' }).click();
		await page.locator('#range .field-error, #range .form-error')
		    .first().waitFor();
		await checkA11y(page, { label: `reports error (${label})` });
		await page.emulateMedia({ media: 'print' });
		await checkA11y(page, { label: `reports print (${label})` });
		await page.emulateMedia({ media: 'screen' });

		// ---------------------------------------------------- admin
		const admin = await newPage(viewport ? { viewport } : {});
		await signIn(admin, server, 'admin', { next: '/admin.html' });
		await admin.locator('body[data-ready="admin"]').waitFor();
		const nav = admin.getByRole('navigation', { name: 'Admin sections' });
		for (const [link, id] of [['Users and roles', 'users'],
		    ['API tokens', 'tokens'], ['Escalation', 'escalation'],
		    ['Regimes', 'regimes'], ['Holiday calendars', 'holidays']]) {
			await nav.getByRole('link', { name: link, exact: true })
			    .click();
			await admin.locator(`#${id}`).waitFor({ state: 'visible' });
			await assertInert(admin);
			await checkA11y(admin, { label: `admin ${id} (${label})` });
			if (phone)
				await noSideScroll(admin);
			await shot(admin, `admin-${id}-${label}`);
		}
		// The regime's hostile name, as text, in its row and its view.
		const regRow = admin.locator('#regimes tbody tr', { has:
		    admin.locator('th', { hasText: /^uk_gdpr_art33_ico$/ }) });
		await nav.getByRole('link', { name: 'Regimes', exact: true }).click();
		assert.equal(await regRow.locator('td').first().textContent(),
		    HOSTILE_REGIME);
		await regRow.getByRole('button', { name: /^View/ }).click();
		let dlg = admin.getByRole('dialog');
		await dlg.waitFor();
		assert.equal(await dlg.locator('h2').textContent(), HOSTILE_REGIME);
		await assertInert(admin);
		await checkA11y(admin, { label: `admin regime view (${label})` });
		await dlg.getByRole('button', { name: 'Close' }).click();
		await regRow.getByRole('button', { name: /^Change/ }).click();
		dlg = admin.getByRole('dialog');
		await dlg.getByLabel('Rule (JSON)').fill('[');
		await dlg.getByRole('button', { name: 'Save regime' }).click();
		await dlg.locator('.field-error').waitFor();
		await checkA11y(admin, { label: `admin regime error (${label})` });
		await shot(admin, `admin-regime-error-${label}`);
		await dlg.getByRole('button', { name: 'Cancel' }).click();
		await admin.getByRole('button', { name: 'Add a regime' }).click();
		await admin.getByRole('dialog', { name: 'Add a regime' }).waitFor();
		await checkA11y(admin, { label: `admin regime add (${label})` });
		await admin.keyboard.press('Escape');
		await admin.getByRole('dialog').waitFor({ state: 'detached' });
		// The holiday's hostile title.
		await nav.getByRole('link', { name: 'Holiday calendars',
		    exact: true }).click();
		await admin.locator('#holidays tbody tr', { has: admin.locator('th',
		    { hasText: /^gb-ni$/ }) }).getByRole('button',
		    { name: /^View dates/ }).click();
		dlg = admin.getByRole('dialog');
		await dlg.getByRole('cell', { name: HOSTILE_HOLIDAY }).waitFor();
		await assertInert(admin);
		await checkA11y(admin, { label: `admin holidays view (${label})` });
		await dlg.getByRole('button', { name: 'Close' }).click();
		// A user dialog, a form error, and a new token's secret.
		await nav.getByRole('link', { name: 'Users and roles', exact: true })
		    .click();
		await admin.getByRole('button', { name: 'Set password for viewer' })
		    .click();
		dlg = admin.getByRole('dialog');
		await dlg.getByRole('button', { name: 'Set password' }).click();
		await dlg.locator('.field-error').waitFor();
		await checkA11y(admin, { label: `admin password error (${label})` });
		await shot(admin, `admin-password-error-${label}`);
		await dlg.getByRole('button', { name: 'Cancel' }).click();
		await nav.getByRole('link', { name: 'API tokens', exact: true })
		    .click();
		await admin.getByRole('button', { name: 'Create token' }).click();
		await admin.locator('#new-token').waitFor();
		await checkA11y(admin, { label: `admin token secret (${label})` });
		await shot(admin, `admin-token-${label}`);
		await admin.getByRole('button', { name: /^Revoke token/ }).first()
		    .click();
		await admin.getByRole('dialog').waitFor();
		await checkA11y(admin, { label: `admin revoke dialog (${label})` });
		await admin.getByRole('button', { name: 'Cancel' }).click();
		await admin.context().close();
		await page.context().close();
	}
});
