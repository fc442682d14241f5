// charts: small accessible bar charts drawn as inline SVG.
//
// Every chart is an <svg role="img"> with a <title> and a <desc> (named by
// aria-labelledby / aria-describedby), drawn with createElementNS and
// textContent only, so a label is never parsed as markup.  The caller
// shows the same figures in a table next to it (the accessible
// equivalent, and the version that prints best).  No style attributes
// (the CSP forbids them): geometry and colour are SVG presentation
// attributes and classes styled by app.css / reports.css.

const SVG = 'http://www.w3.org/2000/svg';
let serial = 0;

// s(tag, attrs, ...children): an SVG element; string children become text.
function s(tag, attrs = {}, ...children) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v !== null && v !== undefined)
			el.setAttribute(k, String(v));
	}
	for (const c of children) {
		if (c === null || c === undefined)
			continue;
		el.append(typeof c === 'string' ? document.createTextNode(c) : c);
	}
	return el;
}

// A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten.
export function niceMax(v) {
	if (!(v > 0))
		return 1;
	const p = 10 ** Math.floor(Math.log10(v));
	for (const m of [1, 2, 2.5, 5, 10]) {
		if (m * p >= v)
			return m * p;
	}
	return 10 * p;
}

// Cut a label to n characters with an ellipsis (the full text stays in
// the chart's <desc> and in the table).
function clip(text, n) {
	return text.length <= n ? text : text.slice(0, n - 1) + '\u2026';
}

function frame(title, desc, w, h, cls) {
	const id = 'chart-' + (++serial);
	const svg = s('svg', {
		xmlns: SVG, viewBox: `0 0 ${w} ${h}`, role: 'img',
		class: 'chart ' + cls, 'aria-labelledby': id + '-t',
		'aria-describedby': id + '-d', preserveAspectRatio: 'xMidYMid meet',
		focusable: 'false',
	});
	svg.append(s('title', { id: id + '-t' }, title),
	    s('desc', { id: id + '-d' }, desc));
	return svg;
}

function describe(data, format) {
	if (data.length === 0)
		return 'No data.';
	return data.map((d) => `${d.label}: ${format(d.value)}`).join('; ') + '.';
}

// Vertical bars, one per datum (e.g. incidents per month).
// data: [{label, value, lines}], value a finite number >= 0; lines: the
// label as up to two short lines under the bar (default: label).
export function columnChart({ title, data, format = String }) {
	const n = Math.max(data.length, 1);
	const bw = 34, gap = 16, left = 40, top = 18, plot = 160, bottom = 40;
	const w = Math.max(left + n * (bw + gap) + gap, 240), h = top + plot + bottom;
	const svg = frame(title, describe(data, format), w, h, 'chart-columns');
	const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
	const g = s('g', { 'aria-hidden': 'true' });
	for (const t of [0, 0.5, 1]) {
		const y = top + plot - t * plot;
		g.append(s('line', { x1: left, x2: w, y1: y, y2: y,
		    class: 'chart-grid' }));
		g.append(s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end',
		    class: 'chart-axis' }, format(max * t)));
	}
	data.forEach((d, i) => {
		const x = left + gap + i * (bw + gap);
		// Never a negative height (nor a bar below the axis).
		const bh = max > 0 ? Math.max(d.value / max, 0) * plot : 0;
		const cx = x + bw / 2;
		g.append(s('rect', { x, y: top + plot - bh, width: bw,
		    height: bh, class: 'chart-bar' }));
		g.append(s('text', { x: cx, y: top + plot - bh - 4,
		    'text-anchor': 'middle', class: 'chart-value' },
		    format(d.value)));
		const label = s('text', { x: cx, y: top + plot + 16,
		    'text-anchor': 'middle', class: 'chart-label' });
		(d.lines || [d.label]).slice(0, 2).forEach((line, j) =>
			label.append(s('tspan', { x: cx, dy: j === 0 ? 0 : 14 },
			    clip(line, 7))));
		g.append(label);
	});
	svg.append(g);
	return svg;
}

// Horizontal bars, one row per datum (e.g. incidents by cause).
// max: the full scale (e.g. 100 for percentages); default: nice maximum.
export function barChart({ title, data, format = String, max }) {
	const rh = 26, left = 160, right = 56, top = 8, w = 420;
	const h = top * 2 + Math.max(data.length, 1) * rh;
	const svg = frame(title, describe(data, format), w, h, 'chart-bars');
	const full = max ?? niceMax(Math.max(0, ...data.map((d) => d.value)));
	const plot = w - left - right;
	const g = s('g', { 'aria-hidden': 'true' });
	data.forEach((d, i) => {
		const y = top + i * rh;
		// Between 0 and the full width, whatever the figure.
		const bw = full > 0 ? Math.min(Math.max(d.value / full, 0), 1) *
		    plot : 0;
		g.append(s('text', { x: left - 8, y: y + rh / 2 + 4,
		    'text-anchor': 'end', class: 'chart-label' },
		    clip(d.label, 22)));
		g.append(s('rect', { x: left, y: y + 4, width: plot,
		    height: rh - 8, class: 'chart-track' }));
		g.append(s('rect', { x: left, y: y + 4, width: bw,
		    height: rh - 8, class: 'chart-bar' }));
		g.append(s('text', { x: left + bw + 6, y: y + rh / 2 + 4,
		    class: 'chart-value' }, format(d.value)));
	});
	svg.append(g);
	return svg;
}
