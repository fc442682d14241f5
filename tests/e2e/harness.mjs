// harness.mjs: the shared part of the browser tests.
//
// journey(name, fn) starts a real breachclockd on 127.0.0.1:0 with a fresh,
// migrated database in a temporary directory, creates one user per role
// with a password (through the CLI, `user add --password-file -`) and an
// API token each, launches Debian's chromium headless through
// playwright-core (launch() gives every run a fresh, temporary
// --user-data-dir), and calls fn({server, browser, newPage, shot}). After
// fn it stops the browser and the server (SIGTERM, which must exit 0) and
// fails the test on any uncaught page error, CSP violation or JavaScript
// dialog that a page showed (see watch()).
//
// Screenshots go to <build dir>/screenshots/<test>-<step>.png, where the
// build dir is $MESON_BUILD_ROOT, else the first command-line argument,
// else ./build.
//
// Environment: BREACHCLOCKD (the server binary), BC_WEB_ROOT (web/),
// CHROMIUM (default /usr/bin/chromium), BC_KEEP_TMP=1 keeps the temporary
// directory.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const BIN = process.env.BREACHCLOCKD ||
    path.join(REPO, 'build', 'server', 'breachclockd');
export const BUILD_DIR = process.env.MESON_BUILD_ROOT ||
    (process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] :
    path.join(REPO, 'build'));
export const WEB_ROOT = process.env.BC_WEB_ROOT || path.join(REPO, 'web');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOT_DIR = path.join(BUILD_DIR, 'screenshots');

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

// name -> role; each gets password(name) and an API token.
export const USERS = {
	reporter: 'reporter',
	handler: 'handler',
	handler2: 'handler',
	dpo: 'dpo',
	viewer: 'viewer',
	admin: 'admin',
};

// Every test user's password: 12+ characters, as the server requires.
export function password(name) {
	return `${name}-Correct-Horse-7`;
}

// ------------------------------------------------------------------ CLI

function cleanEnv() {
	const e = { ...process.env };
	for (const k of Object.keys(e))
		if (k.startsWith('BREACHCLOCK_'))
			delete e[k];
	return e;
}

// Run `breachclockd args...` (stdin: input); return stdout, or throw with
// its stderr when it fails.
export function cli(args, { input } = {}) {
	const p = spawnSync(BIN, args.map(String), { input: input ?? '',
	    env: cleanEnv(), encoding: 'utf8', timeout: 30e3 });
	if (p.status !== 0)
		throw new Error(`breachclockd ${args.join(' ')} failed ` +
		    `(${p.status}): ${p.stdout}${p.stderr}${p.error || ''}`);
	return p.stdout;
}

// ---------------------------------------------------------------- server

export class Server {
	constructor(tmpdir) {
		this.tmpdir = tmpdir;
		this.db = path.join(tmpdir, 'breachclock.db');
		this.logPath = path.join(tmpdir, 'server.log');
		this.tokens = {};
		this.proc = null;
		this.base = null;
	}

	// Migrate, add users (password and token each), start; resolve this
	// once the server logs msg=listening.
	async start({ users = USERS, tz = 'Europe/London', args = [] } = {}) {
		cli(['migrate', '--db', this.db]);
		for (const [name, role] of Object.entries(users))
			this.addUser(name, role, { tz });
		const log = fs.openSync(this.logPath, 'a');
		this.proc = spawn(BIN, ['--db', this.db, '--listen', '127.0.0.1:0',
		    '--web-root', WEB_ROOT, '--log-level', 'debug', ...args],
		    { env: cleanEnv(), stdio: ['ignore', log, 'pipe'] });
		// 'close', not 'exit': stderr may still hold the last log lines
		// when the process exits, and they must be written before the
		// temporary directory is removed.
		this.exited = new Promise((resolve) =>
			this.proc.on('close', (code, sig) => resolve(sig || code)));
		await new Promise((resolve, reject) => {
			let early = '';
			const timer = setTimeout(() => reject(new Error(
			    `server did not start in 10 s:\n${early}`)), 10e3);
			this.proc.stderr.on('data', (chunk) => {
				fs.appendFileSync(this.logPath, chunk);
				if (this.base)
					return;
				early += chunk.toString();
				const m = /msg=listening.*url="?(http:\/\/[0-9.]+:\d+)/
				    .exec(early);
				if (m) {
					this.base = m[1];
					clearTimeout(timer);
					resolve();
				}
			});
			this.proc.on('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`server exited (${code}):\n${early}`));
			});
		});
		return this;
	}

	// `user add` with a password (given on stdin) and a token.
	addUser(name, role, { tz = 'Europe/London', pass = password(name),
	    email = `${name}@example.com` } = {}) {
		cli(['user', 'add', '--db', this.db, '--name', name, '--role', role,
		    '--email', email, '--tz', tz, '--password-file', '-'],
		    { input: pass + '\n' });
		this.tokens[name] = cli(['token', 'create', '--db', this.db,
		    '--user', name]).trim();
	}

	// A request to the API with a user's bearer token: {status, headers,
	// data} (data parsed when JSON).
	async request(user, method, urlPath, { body, headers = {} } = {}) {
		const h = { Authorization: `Bearer ${this.tokens[user]}`,
		    ...headers };
		if (body !== undefined)
			h['Content-Type'] = 'application/json';
		const resp = await fetch(this.base + urlPath, { method, headers: h,
		    body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await resp.text();
		let data = text;
		if (/json/.test(resp.headers.get('content-type') || '') && text)
			data = JSON.parse(text);
		return { status: resp.status, headers: resp.headers, data };
	}

	// request() that must answer `want` (default 2xx); returns data.
	async api(user, method, urlPath, opts = {}) {
		const r = await this.request(user, method, urlPath, opts);
		const ok = opts.want ? r.status === opts.want :
		    r.status >= 200 && r.status < 300;
		assert.ok(ok, `${method} ${urlPath} as ${user}: ${r.status} ` +
		    `${JSON.stringify(r.data)}`);
		return r.data;
	}

	// SIGTERM; resolve the exit status (0 is a clean stop).
	async stop() {
		if (!this.proc)
			return 0;
		if (this.proc.exitCode === null && this.proc.signalCode === null)
			this.proc.kill('SIGTERM');
		const t = setTimeout(() => this.proc.kill('SIGKILL'), 15e3);
		const rc = await this.exited;
		clearTimeout(t);
		this.proc = null;
		return rc;
	}
}

// --------------------------------------------------------------- browser

export function launchBrowser() {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync',
		    '--disable-dev-shm-usage'],
	});
}

// Every page watch() has seen (journey() checks them all at the end).
const watched = [];

// Record what must not happen on a page: uncaught errors, CSP
// violations, JavaScript dialogs (alert/confirm/prompt; dismissed).
export function watch(page) {
	if (page.problems)
		return page;
	watched.push(page);
	page.problems = [];
	page.dialogs = [];
	page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		const t = m.text();
		if (m.type() === 'error' &&
		    /Content Security Policy|Refused to (execute|load|apply)/.test(t))
			page.problems.push(`CSP: ${t}`);
	});
	page.on('dialog', (d) => {
		page.dialogs.push(d.message());
		page.problems.push(`dialog ${d.type()}: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
	return page;
}

// A new page in a new browser context (its own cookies), watched.
// viewport: DESKTOP or PHONE (phone also sets isMobile and touch).
export async function newPage(browser, { viewport = DESKTOP,
    timezoneId = 'Europe/London' } = {}) {
	const phone = viewport.width < 600;
	const ctx = await browser.newContext({ viewport, isMobile: phone,
	    hasTouch: phone, deviceScaleFactor: 1, locale: 'en-GB',
	    timezoneId });
	ctx.setDefaultTimeout(15e3);
	ctx.on('page', watch);	// popups too
	return watch(await ctx.newPage());
}

// Sign in through the real login page as name; resolves once the page
// has left /login.html. next: the ?next= to ask for.
export async function signIn(page, server, name, { pass = password(name),
    next } = {}) {
	const q = next ? `?next=${encodeURIComponent(next)}` : '';
	await page.goto(`${server.base}/login.html${q}`);
	await page.getByLabel('Username').fill(name);
	await page.getByLabel('Password', { exact: true }).fill(pass);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.endsWith('/login.html')),
		page.getByRole('button', { name: 'Sign in' }).click(),
	]);
	await page.waitForLoadState('load');
}

// Save a full-page screenshot as <build>/screenshots/<testName>-<step>.png.
export async function shot(page, testName, step) {
	fs.mkdirSync(SHOT_DIR, { recursive: true });
	const file = path.join(SHOT_DIR, `${testName}-${step}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

// Fail on anything watch() recorded on page.
export function assertClean(page) {
	assert.deepEqual(page.problems, [], `problems on ${page.url()}`);
}

// ---------------------------------------------------------- accessibility

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let axeSource = null;

// Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now
// and throw unless it finds no violation. The script goes in through the
// DevTools protocol, so the page's CSP stays as it is. Returns axe's
// result (passes, incomplete) for the record.
export async function checkA11y(page, { label = page.url() } = {}) {
	if (!axeSource)
		axeSource = fs.readFileSync(path.join(HERE, 'node_modules',
		    'axe-core', 'axe.min.js'), 'utf8');
	if (!(await page.evaluate(() => typeof window.axe === 'object')))
		await page.evaluate(axeSource);
	const result = await page.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: 'tag', values: tags },
		resultTypes: ['violations'],
	}), AXE_TAGS);
	const lines = [];
	for (const v of result.violations)
		for (const n of v.nodes)
			lines.push(`${v.id} (${v.impact}): ${v.help} at ` +
			    `${n.target.join(' ')}: ${n.failureSummary || ''}`);
	assert.equal(lines.length, 0, `axe violations on ${label}:\n` +
	    lines.join('\n'));
	return result;
}

// Load url in a fresh context of browser, with the HTTP cache off, and
// add up the bytes the network moved for it (encoded body plus headers of
// every response, from the DevTools protocol) until the network is idle;
// also the Resource Timing transfer sizes as the page saw them (`timing`,
// the last document only). Options: signIn {server, name, pass} first
// (not counted); waitForUrl (a redirect to wait for) and waitForSelector
// before the network must settle.
export async function measureTransfer(browser, url, { viewport = DESKTOP,
    signIn: who, waitForUrl, waitForSelector } = {}) {
	const page = await newPage(browser, { viewport });
	if (who)
		await signIn(page, who.server, who.name, { pass: who.pass });
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	const seen = new Map();
	cdp.on('Network.responseReceived', (e) => seen.set(e.requestId,
	    { url: e.response.url, status: e.response.status, bytes: 0 }));
	cdp.on('Network.loadingFinished', (e) => {
		const r = seen.get(e.requestId);
		if (r)
			r.bytes = e.encodedDataLength;
	});
	await page.goto(url, { waitUntil: 'load' });
	if (waitForUrl)
		await page.waitForURL(waitForUrl);
	if (waitForSelector)
		await page.locator(waitForSelector).first().waitFor();
	await page.waitForLoadState('networkidle');
	const timing = await page.evaluate(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		let sum = nav ? nav.transferSize : 0;
		for (const r of performance.getEntriesByType('resource'))
			sum += r.transferSize;
		return sum;
	});
	const requests = [...seen.values()];
	const bytes = requests.reduce((a, r) => a + r.bytes, 0);
	await page.context().close();
	return { bytes, timing, requests };
}

// ---------------------------------------------------------------- journey

// One browser test: a fresh server and browser, fn, and a clean stop.
// opts: {users, tz, args} for Server.start.
export function journey(name, fn, opts = {}) {
	test(name, { timeout: 240e3 }, async () => {
		const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-e2e-'));
		const server = new Server(tmpdir);
		let browser = null;
		let ok = false;
		watched.length = 0;
		try {
			await server.start(opts);
			browser = await launchBrowser();
			await fn({
				server,
				browser,
				newPage: (o) => newPage(browser, o),
				shot: (page, step) => shot(page, name, step),
			});
			for (const p of watched)
				assertClean(p);
			ok = true;
		} finally {
			if (browser)
				await browser.close().catch(() => {});
			const rc = await server.stop();
			if (ok && rc !== 0) {
				ok = false;
				assert.fail(`server exit status on SIGTERM: ${rc}`);
			}
			if (ok && !process.env.BC_KEEP_TMP)
				fs.rmSync(tmpdir, { recursive: true, force: true });
			else
				process.stderr.write(`harness: kept ${tmpdir} ` +
				    `(server log ${server.logPath})\n`);
		}
	});
}

// ----------------------------------------------------------------- dates

// An instant `hours` from now, as the API writes it ("...Z", whole s).
export function isoIn(hours) {
	const d = new Date(Date.now() + hours * 3600e3);
	return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
