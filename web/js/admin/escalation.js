// admin/escalation: the escalation ladder, per-regime ladders, recipient
// lists, digest hour and webhooks, as one form.
// API: GET/PUT /api/v1/escalation (PUT replaces the whole document; a bad
// member is 400 invalid-field naming it, which is the form control's
// name here).

import { api } from '../api.js';
import { clearProblems, h, replace, showProblem, toast } from '../ui.js';
import { field, fieldError, val } from './dialog.js';

function words(s) {
	return s.split(/[\s,]+/).filter(Boolean);
}

function lines(s) {
	return s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

function int(form, name) {
	const s = val(form, name).trim();
	if (!/^\d+$/.test(s))
		throw fieldError(name, 'Give a whole number.');
	return Number(s);
}

function fromForm(form) {
	const regimes = {};
	for (const l of lines(val(form, 'regimes'))) {
		const m = /^([a-z0-9_]{1,64})\s*:\s*(.+)$/.exec(l);
		if (!m)
			throw fieldError('regimes', `"${l}" is not "regime_id: ` +
			    'step, step, ..."');
		regimes[m[1]] = { ladder: words(m[2]) };
	}
	const webhooks = lines(val(form, 'webhooks')).map((l) => {
		const [url, format = 'json', ...rest] = words(l);
		if (rest.length || !['json', 'slack'].includes(format))
			throw fieldError('webhooks', `"${l}" is not "URL json" or ` +
			    '"URL slack"');
		return { url, format };
	});
	return {
		ladder: words(val(form, 'ladder')),
		overdue_every_hours: int(form, 'overdue_every_hours'),
		regimes,
		security_team: words(val(form, 'security_team')),
		leadership: words(val(form, 'leadership')),
		admins: words(val(form, 'admins')),
		untriaged_hours: int(form, 'untriaged_hours'),
		digest_hour_utc: int(form, 'digest_hour_utc'),
		webhooks,
		web_base_url: val(form, 'web_base_url').trim(),
	};
}

function render(holder, esc) {
	const regimeLines = Object.entries(esc.regimes).map(([id, r]) =>
	    `${id}: ${r.ladder.join(', ')}`).join('\n');
	const form = h('form', { method: 'post', action: '/admin.html',
	    novalidate: true, 'aria-labelledby': 'escalation-h',
	    class: 'panel' },
	    h('fieldset', {}, h('legend', {}, 'Ladder'),
		field({ name: 'ladder', label: 'Reminder steps',
		    value: esc.ladder.join(', '),
		    hint: 'Comma-separated, before each deadline: applies ' +
		    '(when it first applies), half (half the time gone), ' +
		    't-24h, t-6h, t-30m (hours or minutes before), overdue.',
		    attrs: { autocomplete: 'off', spellcheck: 'false' } }),
		field({ name: 'overdue_every_hours', type: 'number',
		    label: 'Repeat while overdue, every (hours)',
		    value: esc.overdue_every_hours,
		    attrs: { min: 1, max: 720, inputmode: 'numeric' } }),
		field({ name: 'regimes', type: 'textarea',
		    label: 'Ladders for particular regimes', value: regimeLines,
		    hint: 'One per line: regime_id: step, step, ... ' +
		    '(e.g. nis2_early_warning: applies, t-6h, t-1h, overdue). ' +
		    'They replace the ladder above for that regime.',
		    attrs: { spellcheck: 'false', class: 'code', rows: 4 } })),
	    h('fieldset', {}, h('legend', {}, 'Recipients'),
		field({ name: 'security_team', type: 'textarea',
		    label: 'Security team', value: esc.security_team.join('\n'),
		    hint: 'E-mail addresses, one per line. Every ladder step.',
		    attrs: { spellcheck: 'false', rows: 3 } }),
		field({ name: 'leadership', type: 'textarea',
		    label: 'Leadership', value: esc.leadership.join('\n'),
		    hint: 'One per line. Overdue steps and the daily digest.',
		    attrs: { spellcheck: 'false', rows: 3 } }),
		field({ name: 'admins', type: 'textarea',
		    label: 'Administrators', value: esc.admins.join('\n'),
		    hint: 'One per line. Told when an alert cannot be delivered.',
		    attrs: { spellcheck: 'false', rows: 3 } })),
	    h('fieldset', {}, h('legend', {}, 'Other alerts'),
		field({ name: 'untriaged_hours', type: 'number',
		    label: 'Warn when a suspected breach is untriaged after ' +
		    '(hours)', value: esc.untriaged_hours,
		    attrs: { min: 1, max: 720, inputmode: 'numeric' } }),
		field({ name: 'digest_hour_utc', type: 'number',
		    label: 'Daily digest at (hour, UTC)',
		    value: esc.digest_hour_utc,
		    attrs: { min: 0, max: 23, inputmode: 'numeric' } }),
		field({ name: 'webhooks', type: 'textarea', label: 'Webhooks',
		    value: esc.webhooks.map((w) => `${w.url} ${w.format}`)
			.join('\n'),
		    hint: 'One per line: the URL, then json or slack.',
		    attrs: { spellcheck: 'false', class: 'code', rows: 3 } }),
		field({ name: 'web_base_url', type: 'url',
		    label: 'Base of the links in alerts', value: esc.web_base_url,
		    hint: 'e.g. https://breaches.example.com. Empty: this ' +
		    'server\u2019s own address.',
		    attrs: { autocomplete: 'off', spellcheck: 'false' } })),
	    h('div', { class: 'actions' }, h('button', { type: 'submit' },
		'Save escalation settings')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		const button = form.querySelector('button[type="submit"]');
		button.disabled = true;
		try {
			const r = await api('PUT', '/api/v1/escalation',
			    { body: fromForm(form) });
			render(holder, r.data);
			toast('Escalation settings saved.');
			holder.querySelector('button[type="submit"]').focus();
		} catch (err) {
			showProblem(form, err);
		} finally {
			button.disabled = false;
		}
	});
	replace(holder, form);
}

export async function mount() {
	const holder = document.getElementById('escalation-form');
	const r = await api('GET', '/api/v1/escalation');
	render(holder, r.data);
}
