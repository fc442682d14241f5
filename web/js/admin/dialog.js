// admin/dialog: a modal form in a native <dialog>, and small form helpers
// for the admin sections.
//
// formDialog() opens a <dialog> (showModal: focus is trapped, Escape
// cancels) holding a heading and a form; on submit it calls onSubmit(form)
// and closes when that resolves, or shows the ApiError next to the field
// it names (ui.showProblem) and stays open. Closing removes the dialog and
// puts focus back where it was. No window.confirm(): confirmations are
// dialogs too.

import { clearProblems, h, showProblem } from '../ui.js';

let seq = 0;

// A labelled field: {name, label, type, value, hint, required, options
// (for a select: [[value, text]]), attrs}. Returns the .field wrapper.
export function field({ name, label, type = 'text', value, hint, required,
    options, attrs = {}, id }) {
	const fid = id || `f-${name}-${++seq}`;
	const hid = hint ? `${fid}-hint` : null;
	let input;
	const common = { id: fid, name, required: required ? true : null,
	    'aria-describedby': hid, ...attrs };
	if (type === 'select') {
		input = h('select', { ...common, value }, options.map(([v, t]) =>
			h('option', { value: v }, t)));
	} else if (type === 'textarea') {
		input = h('textarea', common);
		input.value = value ?? '';
	} else if (type === 'checkbox') {
		input = h('input', { ...common, type, checked: value ? true : null });
		return h('div', { class: 'field' }, h('label', { class: 'check',
		    for: fid }, input, label),
		    hint ? h('span', { class: 'hint', id: hid }, hint) : null);
	} else {
		input = h('input', { ...common, type, value: value ?? null });
	}
	return h('div', { class: 'field' }, h('label', { for: fid }, label),
	    hint ? h('span', { class: 'hint', id: hid }, hint) : null, input);
}

// Open a modal form. title: heading text; body: nodes (fields); submit:
// the button's text; danger: a red submit button; cancel: false for no
// Cancel button (a dialog that only shows something); onSubmit(form): a
// promise; its rejection is shown in the form. Returns the <dialog>.
export function formDialog({ title, intro, body, submit = 'Save', danger,
    onSubmit, wide, cancel = true }) {
	const opener = document.activeElement;
	const hid = `dlg-${++seq}`;
	const button = h('button', { type: 'submit',
	    class: danger ? 'danger' : null }, submit);
	const form = h('form', { method: 'post', action: '/admin.html',
	    novalidate: true }, body,
	    h('div', { class: 'actions' }, button,
		cancel ? h('button', { type: 'button', class: 'secondary',
		    onclick: () => dlg.close() }, 'Cancel') : null));
	const dlg = h('dialog', { 'aria-labelledby': hid,
	    class: wide ? 'wide' : null },
	    h('h2', { id: hid }, title), intro ? h('p', {}, intro) : null, form);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearProblems(form);
		button.disabled = true;
		try {
			await onSubmit(form);
			dlg.close();
		} catch (err) {
			showProblem(form, err);
		} finally {
			button.disabled = false;
		}
	});
	// The opener may have been redrawn (a table reloaded after the
	// change): then focus its replacement, found by data-focus-key.
	const key = opener && opener.dataset ? opener.dataset.focusKey : null;
	dlg.addEventListener('close', () => {
		dlg.remove();
		let back = opener;
		if (back && !back.isConnected && key)
			back = [...document.querySelectorAll('[data-focus-key]')]
			    .find((el) => el.dataset.focusKey === key) || null;
		if (back && back.isConnected && back.focus)
			back.focus();
	});
	document.body.appendChild(dlg);
	dlg.showModal();
	return dlg;
}

// A problem-like error for a form field, for showProblem().
export function fieldError(name, detail) {
	const e = new Error(detail);
	e.problem = { field: name, detail };
	return e;
}

// The value of the form's control `name`.
export function val(form, name) {
	const el = form.elements.namedItem(name);
	if (!el)
		return undefined;
	if (el.type === 'checkbox')
		return el.checked;
	return el.value;
}

// A button that sits in a table row; dialogs it opens give focus back to
// it, or to the button with the same name after the table is redrawn.
export function rowButton(text, srText, onclick, cls = 'secondary') {
	return h('button', { type: 'button', class: cls, onclick,
	    'data-focus-key': srText ? `${text} ${srText}` : text }, text,
	    srText ? h('span', { class: 'sr-only' }, ` ${srText}`) : null);
}
