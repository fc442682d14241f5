// Journeys: the DPO waives a duty and relies on an Art. 34(3) exemption from
// the incident page, then is asked to reassess an "unlikely" decision when
// a fact it rests on changes. A high-risk incident is seeded through the API (a
// handler's token), so it carries the ICO duty and the duty to tell the
// people affected. A handler's page offers neither control; the DPO's
// refuses an incomplete form without sending it, then records each, and
// the API, the card and the timeline all show the result.

import assert from 'node:assert/strict';
import { checkA11y, isoIn, journey, signIn } from './harness.mjs';

const ICO = 'uk_gdpr_art33_ico';
const ART34 = 'uk_gdpr_art34_individuals';
const EU_ART34 = 'eu_gdpr_art34_ds';
const WHY_EXEMPT = 'The tape was encrypted with AES-256; the key never ' +
    'left our HSM.';
const WHY_WAIVED = 'The ICO told us by phone that they need no report.';

journey('dpo', async ({ server, newPage, shot }) => {
	let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Backup tape lost in transit',
		    discovered_at: isoIn(-12), jurisdictions: ['GB'],
		    data_categories: ['basic_identifiers', 'financial'],
		    subject_categories: ['customers'], subjects_count: 4000 },
	});
	inc = await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`,
	    { body: { status: 'investigating', aware_at: isoIn(-10) },
		headers: { 'If-Match': `"${inc.version}"` } });
	await server.api('handler', 'POST',
	    `/api/v1/incidents/${inc.id}/risk-decisions`,
	    { body: { level: 'high', rationale: 'Names and card numbers.' } });
	const obligation = async (regime) => (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items.find((o) =>
	    o.regime_id === regime);
	const ico = await obligation(ICO);
	const art34 = await obligation(ART34);
	assert.equal(ico.state, 'pending');
	assert.equal(art34.state, 'pending');
	const url = `${server.base}/incident.html?id=${inc.id}`;

	// A handler records notifications but neither waives nor exempts.
	const hp = await newPage();
	await signIn(hp, server, 'handler');
	await hp.goto(url);
	await hp.locator(`#ob-${ico.id} summary`, { hasText:
	    'Record notification' }).waitFor();
	assert.equal(await hp.locator('#obligations summary', { hasText:
	    /^(Waive|Rely on an Art\. 34\(3\) exemption)$/ }).count(), 0);

	const page = await newPage();
	await signIn(page, server, 'dpo');
	await page.goto(url);

	// The exemption: incomplete forms are refused here, not sent.
	const a34 = page.locator(`#ob-${art34.id}`);
	await a34.locator('summary', { hasText: 'Rely on an Art. 34(3) ' +
	    'exemption' }).click();
	const record = a34.getByRole('button', { name: 'Record the exemption' });
	await record.click();
	await a34.getByText('Choose the condition relied on.').waitFor();
	assert.equal(await a34.getByLabel(/^\(a\) The data are unintelligible/)
	    .getAttribute('aria-invalid'), 'true');
	await a34.getByLabel(/^\(a\) The data are unintelligible/).check();
	await record.click();
	await a34.getByText('Say why the condition is met.').waitFor();
	assert.equal((await obligation(ART34)).state, 'pending');
	await checkA11y(page, { label: 'incident page, exemption form' });
	await a34.getByLabel('Why it is met').fill(WHY_EXEMPT);
	await record.click();
	await a34.locator('.state-waived').waitFor();
	await page.locator('.toasts', { hasText:
	    /: the Art\. 34\(3\) exemption is recorded\./ }).waitFor();
	assert.doesNotMatch(await page.locator('.toasts').textContent(),
	    /waived/, 'an exemption is not announced as a waiver');
	await a34.getByText(`Waived: Art. 34(3)(a): ${WHY_EXEMPT}`).waitFor();
	assert.equal(await a34.locator('summary', { hasText: 'exemption' })
	    .count(), 0, 'a waived duty offers no exemption');
	const exempt = await obligation(ART34);
	assert.equal(exempt.state, 'waived');
	assert.equal(exempt.waive_reason, `Art. 34(3)(a): ${WHY_EXEMPT}`);
	await page.locator('#timeline li[data-action="art34.exemption"]', {
	    hasText: 'Art. 34(3)(a) relied on for UK GDPR - communication to ' +
		`data subjects: ${WHY_EXEMPT}` }).waitFor();
	await shot(page, 'exempt');

	// Waiving the ICO duty needs a reason.
	const icoCard = page.locator(`#ob-${ico.id}`);
	await icoCard.locator('summary', { hasText: /^Waive$/ }).click();
	const waive = icoCard.getByRole('button', { name: 'Waive' });
	await waive.click();
	await icoCard.getByText('Say why it is waived: the reason is kept on ' +
	    'the record.').waitFor();
	assert.equal((await obligation(ICO)).state, 'pending');
	await icoCard.getByLabel('Why it is waived').fill(WHY_WAIVED);
	await waive.click();
	await icoCard.locator('.state-waived').waitFor();
	await icoCard.getByText(`Waived: ${WHY_WAIVED}`).waitFor();
	const waived = await obligation(ICO);
	assert.equal(waived.state, 'waived');
	assert.equal(waived.waive_reason, WHY_WAIVED);
	await page.locator('#timeline li[data-action="obligation.waived"]', {
	    hasText: `Obligation waived: ${WHY_WAIVED}` }).first().waitFor();
	assert.equal(await page.locator('#obligations summary', { hasText:
	    /^(Waive|Rely on an Art\. 34\(3\) exemption)$/ }).count(), 0);
	await checkA11y(page, { label: 'incident page, both duties waived' });
	await shot(page, 'waived');

	// "Unlikely" rests on the facts: when one of them changes, the page
	// asks for a new decision until one is recorded. A title does not.
	let small = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Letter to the wrong address',
		    discovered_at: isoIn(-6), jurisdictions: ['GB'],
		    data_categories: ['basic_identifiers'], subjects_count: 1 },
	});
	small = await server.api('handler', 'PATCH',
	    `/api/v1/incidents/${small.id}`, { body: { status: 'investigating',
		aware_at: isoIn(-5) }, headers: { 'If-Match':
		`"${small.version}"` } });
	await server.api('handler', 'POST',
	    `/api/v1/incidents/${small.id}/risk-decisions`, { body: {
		level: 'unlikely', rationale: 'One letter, returned unopened.' } });
	await page.goto(`${server.base}/incident.html?id=${small.id}`);
	const editFact = async (label, value) => {
		await page.getByRole('button', { name: `Edit ${label}` }).click();
		await page.getByLabel(label, { exact: true }).fill(value);
		await page.getByRole('button', { name: 'Save', exact: true })
		    .click();
		await page.getByText(`${label} saved.`).waitFor();
	};
	await editFact('Title', 'Letters to the wrong addresses');
	assert.equal(await page.locator('#reassess').count(), 0);
	await editFact('People affected (approx.)', '240');
	const prompt = page.locator('#decision #reassess');
	await prompt.waitFor();
	assert.match(await prompt.textContent(), /changed after the decision "unlikely": People affected \(approx\.\)\. Reassess/);
	await page.locator('#summary a[href="#decision"]', { hasText:
	    'facts changed: reassess' }).waitFor();
	await page.locator('#timeline li[data-action="incident.updated"]', {
	    hasText: 'The decision "unlikely" rests on People affected ' +
		'(approx.): reassess the risk.' }).waitFor();
	await checkA11y(page, { label: 'incident page, reassess prompt' });
	await shot(page, 'reassess');
	// Reaffirming "unlikely", with why, answers it.
	await page.getByLabel('Unlikely to result in a risk').check();
	await page.getByLabel('Rationale').fill('240 letters, all returned ' +
	    'unopened by the post office.');
	await page.getByRole('button', { name: 'Record decision' }).click();
	await page.getByText('Risk decision recorded: Unlikely to result in ' +
	    'a risk.').waitFor();
	await prompt.waitFor({ state: 'detached' });
	assert.equal(await page.locator('#summary a[href="#decision"]').count(),
	    0);
});

// Art. 34(3) of EU GDPR is the same text: for people in Ireland and the UK
// the EU duty offers the exemption too, and one exemption covers both.
journey('dpo-eu-art34', async ({ server, newPage }) => {
	let inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title: 'Payroll file sent to a supplier',
		    discovered_at: isoIn(-8), jurisdictions: ['GB', 'IE'],
		    data_categories: ['financial'] } });
	inc = await server.api('handler', 'PATCH', `/api/v1/incidents/${inc.id}`,
	    { body: { status: 'investigating', aware_at: isoIn(-7) },
		headers: { 'If-Match': `"${inc.version}"` } });
	await server.api('dpo', 'POST',
	    `/api/v1/incidents/${inc.id}/risk-decisions`,
	    { body: { level: 'high', rationale: 'Bank details.' } });
	const obs = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items;
	const uk = obs.find((o) => o.regime_id === ART34);
	const eu = obs.find((o) => o.regime_id === EU_ART34);
	assert.equal(uk.state, 'pending');
	assert.equal(eu.state, 'pending');
	const page = await newPage();
	await signIn(page, server, 'dpo', { next:
	    `/incident.html?id=${inc.id}` });
	const card = page.locator(`#ob-${eu.id}`);
	await card.locator('summary', { hasText: 'Rely on an Art. 34(3) ' +
	    'exemption' }).click();
	assert.equal(await card.locator('summary', { hasText: /^Waive$/ })
	    .count(), 0);
	assert.match(await card.getByRole('form', { name: /^Record the exemption/ })
	    .textContent(),
	    /It covers UK GDPR - communication to data subjects too\./);
	await card.getByLabel(/^\(c\) Telling each person/).check();
	await card.getByLabel('Why it is met').fill(WHY_EXEMPT);
	await card.getByRole('button', { name: 'Record the exemption' })
	    .click();
	await card.locator('.state-waived').waitFor();
	await page.locator(`#ob-${uk.id} .state-waived`).waitFor();
	for (const name of ['UK GDPR', 'EU GDPR'])
		await page.locator('#timeline li[data-action="art34.exemption"]', {
		    hasText: `Art. 34(3)(c) relied on for ${name} - communication ` +
			`to data subjects: ${WHY_EXEMPT}` }).waitFor();
	const after = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items;
	for (const rid of [ART34, EU_ART34])
		assert.equal(after.find((o) => o.regime_id === rid).waive_reason,
		    `Art. 34(3)(c): ${WHY_EXEMPT}`);
});
