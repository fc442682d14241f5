// sorttable: a data table whose column headers sort it.
//
// Each sortable header holds a <button> (so the keyboard reaches it and
// Enter or Space sorts), the sorted column's <th> carries aria-sort, and a
// polite live region says what changed. Rows are re-rendered into the
// <tbody>; the header stays, so focus stays on the button pressed.

import { h, replace } from './ui.js';

const COLLATOR = new Intl.Collator('en-GB', { numeric: true,
	sensitivity: 'base' });

// Compare two sort values; null, undefined and '' sort last whatever the
// direction (they are "not known", not "smallest").
function compare(a, b, dir) {
	const ea = a === null || a === undefined || a === '';
	const eb = b === null || b === undefined || b === '';
	if (ea || eb)
		return ea === eb ? 0 : ea ? 1 : -1;
	let c;
	if (typeof a === 'number' && typeof b === 'number')
		c = a - b;
	else
		c = COLLATOR.compare(String(a), String(b));
	return dir === 'descending' ? -c : c;
}

function cls(col) {
	return [col.numeric ? 'num' : null, col.cls].filter(Boolean).join(' ') ||
	    null;
}

// sortableTable({caption, columns, sort, empty, onSort}) -> {el (a
// scrolling wrapper holding the table and its live region), table,
// setRows(rows), sort()}.
// columns: [{key, label, value(row) -> number|string|null (the sort key;
//   absent: not sortable), cell(row) -> node|string, numeric: bool,
//   first: 'ascending'|'descending' (direction of the first press),
//   cls: a class for the column's cells}].
// sort: {key, dir} to start with; onSort({key, dir}) after each change.
export function sortableTable({ caption, columns, sort, empty = 'Nothing to show.',
    onSort }) {
	let state = sort ? { ...sort } : null;
	let rows = [];
	const status = h('span', { class: 'sr-only', role: 'status',
	    'aria-live': 'polite' });
	const ths = new Map();
	const head = h('tr', {}, columns.map((col) => {
		const th = h('th', { scope: 'col', class: cls(col) });
		if (col.value) {
			const arrow = h('span', { class: 'sort-arrow',
			    'aria-hidden': 'true' });
			th.append(h('button', { type: 'button', class: 'sort',
			    onclick: () => press(col) }, col.label, arrow));
		} else {
			th.append(col.label);
		}
		ths.set(col.key, th);
		return th;
	}));
	const body = h('tbody', {});
	const table = h('table', { class: 'sortable' },
	    h('caption', {}, caption), h('thead', {}, head), body);
	const el = h('div', { class: 'table-wrap' }, status, table);

	function mark() {
		for (const col of columns) {
			const th = ths.get(col.key);
			const arrow = th.querySelector('.sort-arrow');
			if (state && state.key === col.key) {
				th.setAttribute('aria-sort', state.dir);
				if (arrow)
					arrow.textContent = state.dir === 'ascending' ?
					    ' \u25b2' : ' \u25bc';
			} else {
				th.removeAttribute('aria-sort');
				if (arrow)
					arrow.textContent = col.value ? ' \u21c5' : '';
			}
		}
	}

	function render() {
		let list = rows.slice();
		const col = state && columns.find((c) => c.key === state.key);
		if (col && col.value)
			list = list.map((r, i) => [r, i]).sort((x, y) =>
				compare(col.value(x[0]), col.value(y[0]), state.dir) ||
				x[1] - y[1]).map((x) => x[0]);
		if (list.length === 0) {
			replace(body, h('tr', {}, h('td', { colspan: columns.length,
			    class: 'empty' }, empty)));
			return;
		}
		replace(body, list.map((r) => h('tr', {}, columns.map((c) =>
			h(c.key === columns[0].key ? 'th' : 'td',
			    { class: cls(c),
				scope: c.key === columns[0].key ? 'row' : null },
			    c.cell(r))))));
	}

	function press(col) {
		if (state && state.key === col.key)
			state.dir = state.dir === 'ascending' ? 'descending' :
			    'ascending';
		else
			state = { key: col.key, dir: col.first || 'ascending' };
		mark();
		render();
		status.textContent = `Sorted by ${col.label}, ${state.dir}.`;
		if (onSort)
			onSort({ ...state });
	}

	mark();
	render();
	return {
		el,
		table,
		setRows(r) {
			rows = r;
			render();
		},
		sort() {
			return state ? { ...state } : null;
		},
	};
}
