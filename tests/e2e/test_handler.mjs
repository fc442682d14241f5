// Journey: a handler takes a reported breach from the dashboard through
// triage (suspected -> investigating, aware_at), the ENISA assessment, the
// risk decision and confirmation to the ICO notice, recorded with its case
// reference, and finds it on the timeline. Then two handlers edit the
// same incident: the second save meets the conflict panel (412), which
// shows the first one's saved value and lets the second reapply theirs.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { isoIn, journey, signIn } from './harness.mjs';

// A datetime-local value for the instant iso in Europe/London.
function london(iso) {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: 'Europe/London', year: 'numeric', month: '2-digit',
		day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
	}).format(new Date(iso)).replace(', ', 'T');
}

journey('handler', async ({ server, newPage, shot }) => {
	const inc = await server.api('reporter', 'POST', '/api/v1/incidents', {
		body: { title: 'Backup tape missing from courier van',
		    discovered_at: isoIn(-3), data_categories: ['health',
			'basic_identifiers'], subjects_count: 300 } });
	const page = await newPage();
	await page.context().grantPermissions(['clipboard-read',
	    'clipboard-write']);
	await signIn(page, server, 'handler');

	// From the dashboard to the incident.
	await page.getByRole('link', { name: new RegExp(inc.ref) }).first()
	    .click();
	await page.waitForURL(`**/incident.html?id=${inc.id}`);
	await page.getByRole('heading', { level: 1, name: new RegExp(inc.ref) })
	    .waitFor();
	await shot(page, 'suspected');

	// Triage: suspected -> investigating.
	await page.getByRole('button', { name: 'Start investigating' }).click();
	await page.locator('.steps li[aria-current="step"]', { hasText:
	    'Investigating' }).waitFor();
	// Confirming is not open yet, and the page says why.
	const confirm = page.getByRole('button', { name: 'Confirm breach' });
	assert.equal(await confirm.getAttribute('aria-disabled'), 'true');
	const why = await confirm.getAttribute('aria-describedby');
	assert.match(await page.locator(`#${why}`).textContent(),
	    /Confirm needs aware_at/);
	await confirm.dispatchEvent('click');	// does nothing
	assert.equal((await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}`)).status, 'investigating');
	await shot(page, 'investigating');

	// Set aware_at (an hour ago, London time): the ICO clock starts.
	const awareIso = isoIn(-1).replace(/:\d\dZ$/, ':00Z');
	await page.getByRole('button', { name: 'Edit Became aware (aware_at)' })
	    .click();
	await page.getByLabel('Became aware (aware_at)', { exact: true }).fill(london(awareIso));
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('#fact-aware_at time').waitFor();
	const ico = page.locator('.card', { hasText: 'notification to ICO' });
	await ico.locator('.countdown').waitFor();
	assert.match(await ico.locator('.countdown').textContent(),
	    /^Due within 72 h: 2 d 2\d h left$/);
	assert.equal(await confirm.getAttribute('aria-disabled'), null);
	let cur = await server.api('handler', 'GET', `/api/v1/incidents/${inc.id}`);
	assert.equal(cur.aware_at, awareIso);

	// The ENISA assessment: health data of 300 people, lost in transit.
	await page.getByLabel(/^Sensitive:/).check();
	await page.getByLabel('Significant').check();
	await page.getByLabel(/^Unknown recipients/).check();
	await page.getByLabel('Not altered').check();
	await page.getByLabel('Temporarily unavailable').check();
	await page.getByRole('button', { name: 'Assess severity' }).click();
	const result = page.locator('#assessment-result');
	await result.waitFor();
	const [assessment] = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/assessments`)).items;
	assert.equal(assessment.inputs.data_type, 'sensitive');
	const rtext = await result.textContent();
	assert.match(rtext, new RegExp(`score ${assessment.score}`));
	for (const reason of assessment.reasons)
		assert.ok(rtext.includes(reason), `reason shown: ${reason}`);
	assert.equal(assessment.suggestion, 'high');
	await shot(page, 'assessed');

	// The decision: differing from the suggestion needs a rationale.
	const decide = page.locator('#decide-form');
	assert.equal(await decide.getByLabel(/A high risk to people/)
	    .isChecked(), true, 'the suggestion is preselected');
	await decide.getByLabel('A risk to people').check();
	await decide.getByRole('button', { name: 'Record decision' }).click();
	const rationale = decide.getByLabel('Rationale');
	assert.equal(await rationale.getAttribute('aria-invalid'), 'true');
	assert.match(await decide.locator('.field-error').textContent(),
	    /decided differently from the suggestion/);
	await decide.getByLabel(/A high risk to people/).check();
	await rationale.fill('Health data of 300 patients, unencrypted tape.');
	await decide.getByRole('button', { name: 'Record decision' }).click();
	await page.locator('#summary .badge.risk-high').waitFor();
	// A high risk adds the duty to tell the people affected.
	await page.locator('.card', { hasText: 'affected data subjects' })
	    .first().waitFor();

	// Confirm.
	await confirm.click();
	await page.locator('.steps li[aria-current="step"]', { hasText:
	    'Confirmed' }).waitFor();

	// The ICO draft: shown, copied, downloaded.
	const draft = page.locator('.notice-draft', { hasText:
	    'Report to the ICO' });
	await draft.getByRole('button', { name: 'Show draft' }).click();
	const pre = draft.locator('pre');
	await pre.waitFor();
	const draftText = await pre.textContent();
	assert.ok(draftText.includes(inc.ref), 'the draft names the incident');
	await draft.getByRole('button', { name: 'Copy text' }).click();
	await page.getByText('Copied to the clipboard.').waitFor();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
	    draftText);
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    draft.getByRole('button', { name: 'Download .txt' }).click()]);
	assert.match(dl.suggestedFilename(), /\.txt$/);
	assert.equal(fs.readFileSync(await dl.path(), 'utf8'), draftText);
	await shot(page, 'draft');

	// Record the ICO notification with its case reference.
	await ico.locator('summary', { hasText: 'Record notification' }).click();
	await ico.getByLabel('Their reference').fill('IC-123456-A1B2');
	await ico.getByRole('button', { name: 'Record notification' }).click();
	await page.locator('.card', { hasText: 'notification to ICO' })
	    .getByText('IC-123456-A1B2').waitFor();
	const obs = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items;
	const icoOb = obs.find((o) => o.regime_id === 'uk_gdpr_art33_ico');
	assert.equal(icoOb.state, 'met');
	assert.equal(icoOb.reference, 'IC-123456-A1B2');
	assert.equal(icoOb.notifications[0].notice.kind, 'ico_report');
	assert.ok(icoOb.notifications[0].notice.text.includes(inc.ref));

	// On the timeline, newest first.
	const tl = page.locator('#timeline ol.timeline > li');
	const first = await tl.first().textContent();
	assert.match(first, /Notification recorded for uk_gdpr_art33_ico/);
	assert.match(first, /IC-123456-A1B2/);
	const all = await page.locator('#timeline').textContent();
	assert.match(all, /Status: Suspected → Investigating/);
	assert.match(all, /Status: Investigating → Confirmed/);
	assert.match(all, /Risk decided: A high risk to people/);
	await shot(page, 'notified');

	// A note.
	await page.getByLabel('Add a note').fill('Courier says the tape may ' +
	    'be in the depot.');
	await page.getByRole('button', { name: 'Add note' }).click();
	await page.locator('#timeline li[data-action="note.added"]').first()
	    .waitFor();

	// Assign it to themselves, then find it through the dashboard filters.
	await page.getByRole('button', { name: 'Edit Assigned to' }).click();
	await page.getByLabel('Assigned to', { exact: true }).fill('handler');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('#fact-assignee', { hasText: 'handler' })
	    .locator('.value').waitFor();
	const other0 = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Unrelated: wrong attachment', discovered_at:
		    isoIn(-2), aware_at: isoIn(-2) } });
	await page.goto(`${server.base}/`);
	const cards = page.locator('section[aria-labelledby="inc-h"] .card h3');
	await cards.filter({ hasText: other0.ref }).waitFor();
	assert.equal(await cards.count(), 2);
	await page.getByLabel('Assigned to').selectOption('me');
	await page.waitForURL(/\?assignee=me$/);
	await page.waitForFunction(() => document.querySelectorAll(
	    'section[aria-labelledby="inc-h"] .card').length === 1);
	assert.match(await cards.first().textContent(), new RegExp(inc.ref));
	await page.getByLabel('Assigned to').selectOption('');
	await page.getByLabel('Risk decision').selectOption('none');
	await page.waitForURL(/\?risk=none$/);
	await page.waitForFunction(() => document.querySelectorAll(
	    'section[aria-labelledby="inc-h"] .card').length === 1);
	assert.match(await cards.first().textContent(), new RegExp(other0.ref));
	await page.getByLabel('Risk decision').selectOption('');
	await page.getByLabel('Regime').selectOption('uk_gdpr_art34_individuals');
	const dueCards = page.locator('section[aria-labelledby="due-h"] .card');
	await page.waitForFunction(() => document.querySelectorAll(
	    'section[aria-labelledby="due-h"] .card').length === 1);
	assert.match(await dueCards.textContent(), /affected data subjects/);
	assert.match(await dueCards.textContent(), new RegExp(inc.ref));
	await shot(page, 'dashboard-filtered');
	// A reload keeps the filters (they live in the address).
	await page.reload();
	assert.equal(await page.getByLabel('Regime').inputValue(),
	    'uk_gdpr_art34_individuals');
	await page.goto(`${server.base}/incident.html?id=${inc.id}`);

	// Two handlers, one incident: the second save meets the conflict.
	const other = await newPage();
	await signIn(other, server, 'handler2',
	    { next: `/incident.html?id=${inc.id}` });
	await other.getByRole('button', { name: 'Edit Title' }).waitFor();
	await page.reload();
	// Both have the page open; both start editing the title.
	await page.getByRole('button', { name: 'Edit Title' }).click();
	await other.getByRole('button', { name: 'Edit Title' }).click();
	await page.getByLabel('Title', { exact: true }).fill('Backup tape lost (courier)');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('#fact-title', { hasText:
	    'Backup tape lost (courier)' }).waitFor();
	await other.getByLabel('Title', { exact: true }).fill('Backup tape lost in transit');
	await other.getByRole('button', { name: 'Save', exact: true }).click();
	const box = other.locator('.conflict');
	await box.waitFor();
	assert.match(await box.textContent(), /Someone else saved this incident/);
	assert.match(await box.locator('.theirs').textContent(),
	    /Backup tape lost \(courier\)/);
	assert.match(await box.locator('.mine').textContent(),
	    /Backup tape lost in transit/);
	assert.match(await box.textContent(), /handler saved it/);
	await shot(other, 'conflict');
	await box.getByRole('button', { name: 'Save mine over theirs' }).click();
	await other.locator('#fact-title', { hasText:
	    'Backup tape lost in transit' }).locator('.value').waitFor();
	cur = await server.api('handler', 'GET', `/api/v1/incidents/${inc.id}`);
	assert.equal(cur.title, 'Backup tape lost in transit');
	await shot(other, 'reapplied');
});
