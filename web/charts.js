// Bar charts as lists of toggle buttons: each bar is a filter. They are HTML,
// not SVG, so their text is page text at every width and they reflow.
import { el, fill } from './util.js';

// rows: [{value, label, count}], in the order to show. selected: the value
// the filter holds now. choose(value): apply (or, for the selected one, clear)
// the filter. noun: what is counted ("deal").
export function barChart(target, rows, { selected = '', choose, noun = 'deal', labelledBy }) {
  const focused = target.contains(document.activeElement) ? document.activeElement.dataset.value : null;
  if (!rows.length) {
    fill(target, el('p', { class: 'empty', text: `No ${noun}s in this selection.` }));
    return;
  }
  const max = Math.max(1, ...rows.map((r) => r.count));
  const items = rows.map((r) => {
    const on = r.value === selected;
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${(100 * r.count) / max}%`;
    bar.hidden = !r.count;
    // Its name is what it shows, "Nuclear power 6 deals"; aria-pressed says
    // whether it is the filter now (pressing it again clears it).
    const button = el('button', {
      type: 'button', class: 'bar-row', 'data-value': r.value, 'aria-pressed': on ? 'true' : 'false',
      onclick: () => choose(on ? '' : r.value),
    },
    el('span', { class: 'bar-label', text: r.label }),
    el('span', { class: 'bar-track', 'aria-hidden': 'true' }, bar),
    el('span', { class: 'bar-count' }, String(r.count),
      el('span', { class: 'visually-hidden', text: ` ${noun}${r.count === 1 ? '' : 's'}` })));
    return el('li', {}, button);
  });
  fill(target, el('ul', { class: 'bars', 'aria-labelledby': labelledBy }, items));
  if (focused) {
    const again = target.querySelector(`[data-value="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}
