// The map: countries shaded by how many deals name them, Europe with insets
// for Japan, Australia and New Zealand. The outlines are web/map-data.js,
// made once by scripts/gen-map.mjs; nothing is fetched to draw it.
import { frames } from './map-data.js';
import { el, fill } from './util.js';

const NS = 'http://www.w3.org/2000/svg';
const svgEl = (tag, attrs) => {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
};

const drawn = new Set(frames.flatMap((f) => f.shapes.map(([code]) => code).filter(Boolean)));
let built = null; // code -> [{group, path}] once the frames are in the page

// Steps of the shading: up to five, each a range of counts.
function steps(max) {
  const n = Math.min(5, max);
  const out = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.floor((i * max) / n) + 1;
    const hi = Math.floor(((i + 1) * max) / n);
    out.push([lo, hi]);
  }
  return out;
}

function build(target, known, choose) {
  built = new Map();
  const main = [];
  const insets = [];
  for (const frame of frames) {
    const svg = svgEl('svg', { viewBox: `0 0 ${frame.width} ${frame.height}`, role: 'group', 'aria-label': frame.title });
    for (const [code, , d] of frame.shapes) {
      const path = svgEl('path', { d });
      if (code && known.has(code)) {
        // A country of the dataset: a link to its filter, reachable by keyboard.
        const link = svgEl('a', { 'data-code': code, class: 'in-data' });
        link.addEventListener('click', (e) => { e.preventDefault(); choose(link.dataset.code); });
        const title = svgEl('title');
        link.append(title, path);
        svg.append(link);
        if (!built.has(code)) built.set(code, []);
        built.get(code).push({ group: link, title });
      } else {
        path.setAttribute('aria-hidden', 'true');
        svg.append(path);
      }
    }
    const figure = el('figure', { class: 'map-frame' }, svg, frame.id === 'europe' ? null : el('figcaption', { text: frame.title }));
    (frame.id === 'europe' ? main : insets).push(figure);
  }
  fill(target, main, el('div', { class: 'map-insets' }, insets), el('p', { class: 'map-also muted', id: 'map-also', hidden: true }));
}

// counts: Map code -> deals in the current selection (partners only).
// homes: the codes party to every deal, shown apart. known: codes the dataset
// has. name(code): its name. selected: the country filter now. href(code):
// the page's URL with that country chosen (or, for the selected one, cleared).
export function drawMap(target, legend, { counts, homes, known, name, selected, href, choose }) {
  if (!built) build(target, known, choose);
  const max = Math.max(0, ...[...counts.entries()].filter(([c]) => !homes.has(c)).map(([, n]) => n));
  const bands = steps(max);
  const band = (n) => (n ? bands.findIndex(([lo, hi]) => n >= lo && n <= hi) + 1 : 0);
  for (const [code, parts] of built) {
    const n = counts.get(code) || 0;
    const home = homes.has(code);
    const label = home
      ? `${name(code)}: the home country, party to every deal`
      : `${name(code)}: ${n} deal${n === 1 ? '' : 's'}${code === selected ? ' (the filter now; choose to clear it)' : ''}`;
    for (const { group, title } of parts) {
      group.setAttribute('class', `in-data ${home ? 'home' : `s${band(n)}`}${code === selected ? ' selected' : ''}`);
      group.setAttribute('aria-label', label);
      group.setAttribute('href', href(code));
      title.textContent = label;
    }
  }
  const also = target.querySelector('#map-also');
  const missing = [...counts.entries()].filter(([c, n]) => n && !homes.has(c) && !drawn.has(c));
  also.hidden = !missing.length;
  also.textContent = missing.length ? `Not on the map: ${missing.map(([c, n]) => `${name(c)} (${n})`).join(', ')}.` : '';

  fill(legend, el('ul', { class: 'legend', 'aria-label': 'Legend' },
    el('li', {}, el('span', { class: 'swatch', 'aria-hidden': 'true' }), 'no deal'),
    bands.map(([lo, hi], i) => el('li', {},
      el('span', { class: `swatch s${i + 1}`, 'aria-hidden': 'true' }),
      `${lo === hi ? lo : `${lo}–${hi}`} deal${hi === 1 ? '' : 's'}`)),
    homes.size ? el('li', {}, el('span', { class: 'swatch home', 'aria-hidden': 'true' }),
      `${[...homes].map(name).join(', ')}: home, party to every deal`) : null));
}
