// Journey: hostile text (HTML, quotes, ampersands) in every field a person
// can type is shown as the text it is: on the dashboard (handler and
// reporter views), the incident page (title, facts, editors, obligations,
// notes, timeline, drafted notice) and the window title. No dialog fires,
// no <img> or event-handler attribute appears in any page, and no script
// runs (the harness fails the test on any dialog, page error or CSP
// violation).

import assert from 'node:assert/strict';
import { isoIn, journey, signIn } from './harness.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&';
const NOTE = '<script>alert(2)</script><b onmouseover=alert(3)>bold</b> &amp;';
const REF = '"><svg onload=alert(4)>';

// Nothing an attacker's markup would have created is in the page.
async function assertInert(page, where) {
	const found = await page.evaluate(() => ({
		img: document.querySelectorAll('img, svg, iframe, object, embed')
		    .length,
		handlers: [...document.querySelectorAll('*')].filter((el) =>
			[...el.attributes].some((a) => /^on/i.test(a.name))).length,
		scripts: [...document.scripts].filter((s) =>
			!s.src || new URL(s.src).origin !== location.origin).length,
		pwned: window.pwned === true,
	}));
	assert.deepEqual(found, { img: 0, handlers: 0, scripts: 0,
	    pwned: false }, `markup came alive on ${where}`);
	assert.deepEqual(page.dialogs, [], `dialogs on ${where}`);
}

journey('hostile', async ({ server, newPage, shot }) => {
	const title = `${HOSTILE} title`;
	const inc = await server.api('handler', 'POST', '/api/v1/incidents', {
		body: { title, discovered_at: isoIn(-5), aware_at: isoIn(-4),
		    description: `${HOSTILE} description`,
		    how_discovered: HOSTILE, controller_name: HOSTILE,
		    measures_taken: NOTE } });
	await server.api('handler', 'POST', `/api/v1/incidents/${inc.id}/notes`,
	    { body: { text: NOTE } });
	const ob = (await server.api('handler', 'GET',
	    `/api/v1/incidents/${inc.id}/obligations`)).items
	    .find((o) => o.regime_id === 'uk_gdpr_art33_ico');
	await server.api('handler', 'POST', `/api/v1/incidents/${inc.id}/` +
	    `obligations/${ob.id}/notifications`, { body: { sent_at: isoIn(-1),
		reference: REF } });
	const mine = await server.api('reporter', 'POST', '/api/v1/incidents', {
		body: { title: `${HOSTILE} reported`, discovered_at: isoIn(-1) } });

	// The handler's dashboard.
	const page = await newPage();
	await signIn(page, server, 'handler');
	const link = page.getByRole('link', { name: `${inc.ref} ${title}` });
	await link.waitFor();
	assert.equal(await link.textContent(), `${inc.ref} ${title}`);
	await assertInert(page, 'the dashboard');
	await shot(page, 'dashboard');

	// The incident page.
	await link.click();
	await page.getByRole('heading', { level: 1 }).filter({ hasText: inc.ref })
	    .waitFor();
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(),
	    `${inc.ref}: ${title}`);
	assert.equal(await page.title(), `${inc.ref} ${title} · breachclock`);
	const fact = (k) => page.locator(`#fact-${k} .value`).textContent();
	assert.equal(await fact('title'), title);
	assert.equal(await fact('description'), `${HOSTILE} description`);
	assert.equal(await fact('how_discovered'), HOSTILE);
	assert.equal(await fact('controller_name'), HOSTILE);
	assert.equal(await fact('measures_taken'), NOTE);
	const note = page.locator('#timeline li[data-action="note.added"] .note');
	assert.equal(await note.textContent(), NOTE);
	assert.match(await page.locator('#timeline').textContent(),
	    /reference "><svg onload=alert\(4\)>/);
	assert.ok((await page.locator('.card', { hasText: 'notification to ICO' })
	    .textContent()).includes(REF));
	// The editor holds the text as its value.
	await page.getByRole('button', { name: 'Edit Title' }).click();
	assert.equal(await page.getByLabel('Title', { exact: true })
	    .inputValue(), title);
	await page.getByRole('button', { name: 'Cancel' }).click();
	// The drafted notice, in the page and printable.
	const draft = page.locator('.notice-draft', { hasText:
	    'Report to the ICO' });
	await draft.getByRole('button', { name: 'Show draft' }).click();
	assert.ok((await draft.locator('pre').textContent()).includes(HOSTILE));
	await assertInert(page, 'the incident page');
	await shot(page, 'incident');

	// The printable HTML draft is escaped by the server, and served under
	// its own CSP.
	const [popup] = await Promise.all([page.waitForEvent('popup'),
	    draft.getByRole('link', { name: /Printable version/ }).click()]);
	await popup.waitForLoadState();
	assert.ok((await popup.locator('body').textContent()).includes(title));
	await assertInert(popup, 'the printable ICO report');
	await popup.close();

	// The reporter's own list.
	const rep = await newPage();
	await signIn(rep, server, 'reporter', { next: '/' });
	const own = rep.getByRole('link', { name: `${mine.ref} ${HOSTILE} ` +
	    'reported' });
	await own.waitFor();
	await assertInert(rep, 'the reporter\'s dashboard');
	await own.click();
	await rep.getByRole('heading', { level: 1 }).filter({ hasText: mine.ref })
	    .waitFor();
	await assertInert(rep, 'the reporter\'s incident page');

	// A hostile id in the address is refused, not echoed as markup.
	await page.goto(`${server.base}/incident.html?id=` +
	    encodeURIComponent('<img src=x onerror=alert(5)>'));
	await page.getByText('No incident is named in the address').waitFor();
	await assertInert(page, 'incident.html?id=<img>');
});
