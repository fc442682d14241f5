// report.html: any member of staff reports a suspected breach in a
// minute (what happened, when they noticed, what data, roughly how many
// people, how to reach them) and learns what happens next.

import { api, me } from '../api.js';
import { clearProblems, fromLocalInput, h, mountShell, parseWhole, replace,
	showProblem, toLocalInput, userZone } from '../ui.js';
import { COMMON_DATA_CATEGORIES, DATA_CATEGORIES } from '../labels.js';

mountShell('report');
const content = document.getElementById('content');

function field(id, text, input, hint) {
	const hintId = hint ? `${id}-hint` : null;
	if (hintId)
		input.setAttribute('aria-describedby', hintId);
	return h('div', { class: 'field' },
	    h('label', { for: id }, text),
	    hint ? h('span', { class: 'hint', id: hintId }, hint) : null,
	    input);
}

function check(name, value, text) {
	const id = `${name}-${value}`;
	return h('label', { class: 'check', for: id },
	    h('input', { type: 'checkbox', id, name, value }), text);
}

function buildForm(user, tz) {
	const common = COMMON_DATA_CATEGORIES;
	const more = Object.keys(DATA_CATEGORIES).filter((c) =>
		!common.includes(c));
	const form = h('form', { id: 'report', method: 'post',
	    action: '/report.html', novalidate: true },
	    field('title', 'What happened, in a few words',
		h('input', { id: 'title', name: 'title', type: 'text',
		    required: true, maxlength: 200, autocomplete: 'off' }),
		'For example: "Laptop with HR files left on a train" or ' +
		'"Payroll e-mail sent to the wrong customer".'),
	    field('description', 'Tell us more (optional)',
		h('textarea', { id: 'description', name: 'description',
		    rows: 4, maxlength: 20000, autocomplete: 'off' }),
		'What you saw, who was involved, what has been done so far.'),
	    field('discovered_at', 'When did you notice it?',
		h('input', { id: 'discovered_at', name: 'discovered_at',
		    type: 'datetime-local', required: true, autocomplete: 'off',
		    value: toLocalInput(new Date().toISOString(), tz),
		    max: toLocalInput(new Date(Date.now() + 3e5).toISOString(),
			tz) }),
		`Your local time (${tz}). Leave it as it is if it was just now.`),
	    h('fieldset', { class: 'field' },
		h('legend', {}, 'What kind of personal data? (tick any)'),
		h('span', { class: 'hint' }, 'Leave blank if you are not sure.'),
		h('div', { class: 'checks' }, common.map((c) =>
		    check('data_categories', c, DATA_CATEGORIES[c]))),
		h('details', {},
		    h('summary', {}, 'More kinds of data'),
		    h('div', { class: 'checks' }, more.map((c) =>
			check('data_categories', c, DATA_CATEGORIES[c]))))),
	    field('subjects_count', 'Roughly how many people are affected?',
		h('input', { id: 'subjects_count', name: 'subjects_count',
		    type: 'text', inputmode: 'numeric', maxlength: 20,
		    autocomplete: 'off' }),
		'A rough number is fine. Leave blank if you do not know.'),
	    field('contact', 'How can the security team reach you?',
		h('input', { id: 'contact', name: 'contact', type: 'text',
		    maxlength: 200, autocomplete: 'email',
		    value: user.email || '' }),
		'A phone number or e-mail address, in case they have ' +
		'questions.'),
	    h('div', { class: 'actions' },
		h('button', { type: 'submit' }, 'Send report')));
	return form;
}

function body(form, tz) {
	const title = form.title.value.trim();
	const desc = form.description.value.trim();
	const contact = form.contact.value.trim();
	const parts = [];
	if (desc)
		parts.push(desc);
	if (contact)
		parts.push(`How to reach the reporter: ${contact}`);
	const b = {
		title,
		discovered_at: fromLocalInput(form.discovered_at.value, tz),
		data_categories: [...form.querySelectorAll(
		    'input[name="data_categories"]:checked')].map((c) => c.value),
	};
	if (parts.length)
		b.description = parts.join('\n\n');
	const n = parseWhole(form.subjects_count.value);
	if (n !== null)
		b.subjects_count = n;
	return b;
}

function validate(form, b) {
	if (!b.title)
		return ['title', 'Say in a few words what happened.'];
	if (!b.discovered_at)
		return ['discovered_at', 'Give the date and time you noticed it.'];
	if (new Date(b.discovered_at).getTime() > Date.now() + 3e5)
		return ['discovered_at', 'That time is in the future.'];
	const raw = form.subjects_count.value.trim();
	if (raw !== '' && parseWhole(raw) === null)
		return ['subjects_count', 'Give a whole number, such as 40 or ' +
		    '2,000, or leave it blank. A rough number is fine: no ' +
		    'decimals.'];
	return null;
}

function nextSteps(inc, user) {
	const url = `/incident.html?id=${encodeURIComponent(inc.id)}`;
	return h('section', { class: 'notice success', 'aria-labelledby':
	    'done-h', id: 'done', tabindex: '-1' },
	    h('h2', { id: 'done-h' }, 'Thank you: your report is in'),
	    h('p', {}, 'Your reference is ',
		h('strong', { class: 'mono', id: 'ref' }, inc.ref),
		'. Quote it whenever you talk to anyone about this.'),
	    h('h3', {}, 'What happens next'),
	    h('ol', {},
		h('li', {}, 'The security team has been alerted and ' +
		    'will look at your report. If nobody has picked it up ' +
		    'within a few hours, they are reminded.'),
		h('li', {}, 'They decide whether personal data really was ' +
		    'compromised. Once the organisation is reasonably sure ' +
		    'that it was, it normally has 72 hours to tell the ' +
		    "Information Commissioner's Office, and must tell the " +
		    'people affected without undue delay if the risk to them ' +
		    'is high. That 72-hour clock starts when the organisation ' +
		    'becomes aware, not when you sent this, so anything more ' +
		    'you learn helps.'),
		h('li', {}, 'Someone may contact you for details. Please keep ' +
		    'any evidence as it is (e-mails, devices, logs), do not ' +
		    'delete anything, and do not contact the people affected ' +
		    'yourself unless the security team asks you to.')),
	    h('p', {}, 'Questions, or something new to add? Contact your ' +
		'security team or data protection officer and quote ',
		h('span', { class: 'mono' }, inc.ref), '.'),
	    h('div', { class: 'actions' },
		h('a', { class: 'button secondary', href: url },
		    'See your report'),
		h('a', { class: 'button secondary', href: '/report.html' },
		    'Report something else')),
	    user.role === 'reporter' ? null : h('p', {}, h('a', { href: url },
		'Open the incident to triage it')));
}

async function start() {
	const user = await me();
	const tz = userZone(user);
	const form = buildForm(user, tz);
	// One key per filled-in form: a double click or a retry after a
	// network error does not report the breach twice.
	// (getRandomValues: randomUUID needs a secure context.)
	const key = [...crypto.getRandomValues(new Uint8Array(16))]
	    .map((b) => b.toString(16).padStart(2, '0')).join('');
	replace(content, form);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const b = body(form, tz);
		const bad = validate(form, b);
		if (bad) {
			showProblem(form, new Error(bad[1]), bad[0]);
			return;
		}
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		button.textContent = 'Sending…';
		try {
			const r = await api('POST', '/api/v1/incidents', { body: b,
			    headers: { 'Idempotency-Key': key } });
			const done = nextSteps(r.data, user);
			replace(content, done);
			document.title = `Reported: ${r.data.ref} · breachclock`;
			done.focus();
		} catch (err) {
			button.disabled = false;
			button.textContent = 'Send report';
			if (err.field === 'description')
				showProblem(form, err, 'description');
			else
				showProblem(form, err);
		}
	});
}

start().catch((err) => {
	if (err.status !== 401)
		replace(content, h('p', { class: 'form-error', role: 'alert' },
		    `The form could not be loaded: ${err.message}. Tell your ` +
		    'security team or data protection officer directly.'));
});
