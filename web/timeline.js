// The meetings and events day by day (each a button that lists its deals,
// with their number), and the meetings × sectors grid. Both are drawn once,
// from the meetings; the timeline's counts and pressed button follow the view.
import { isInferred } from './detail.js';
import { $, dateRange, daysBetween, el, fill, longDate } from './util.js';

// ctx: { label(vocab, id), countryName(code), partners(codes), choose(meetingId) }
export function buildTimeline(meetings, ctx) {
  const timeline = $('timeline');
  if (!meetings.length) {
    fill(timeline, el('p', { class: 'muted', text: 'No meetings are recorded.' }));
    timeline.setAttribute('aria-busy', 'false');
    return;
  }
  const first = meetings.reduce((a, m) => (m.date < a ? m.date : a), meetings[0].date);
  const lastDay = meetings.reduce((a, m) => ((m.end_date || m.date) > a ? (m.end_date || m.date) : a), first);
  const days = daysBetween(first, lastDay).slice(0, 14);
  const columns = [];
  const sections = days.map((day, i) => {
    const starting = meetings.filter((m) => m.date === day);
    const going = meetings.filter((m) => m.date < day && m.end_date && m.end_date >= day);
    columns.push(starting.length ? 'minmax(0, 1fr)' : 'minmax(0, .55fr)');
    const bilaterals = starting.filter((m) => m.kind === 'bilateral').length;
    const note = [bilaterals ? `${bilaterals} bilateral` : '', starting.length - bilaterals ? `${starting.length - bilaterals} other` : '']
      .filter(Boolean).join(', ');
    return el('section', { class: `day${starting.length ? '' : ' day-quiet'}`, 'aria-labelledby': `day-${i}` },
      el('h3', { id: `day-${i}` }, longDate(day), note ? el('span', { class: 'muted', text: ` · ${note}` }) : null),
      starting.length ? el('ol', {}, starting.map((m) => el('li', {}, eventButton(m, ctx)))) : null,
      going.map((m) => el('p', { class: 'continues', text: `${m.title} continues (${dateRange(m.date, m.end_date)})` })));
  });
  timeline.style.setProperty('--days', String(days.length));
  timeline.style.setProperty('--columns', columns.join(' '));
  timeline.classList.toggle('has-quiet-days', columns.some((c) => c.includes('.55')));
  fill(timeline, sections);
  timeline.setAttribute('aria-busy', 'false');
}

function eventButton(m, ctx) {
  const bilateral = m.kind === 'bilateral';
  const names = ctx.partners(m.countries).map(ctx.countryName).join(', ');
  const who = m.counterpart && m.counterpart.name
    ? `${m.counterpart.title ? m.counterpart.title + ' ' : ''}${m.counterpart.name}${isInferred(m, 'counterpart') ? ' (inferred)' : ''}` : null;
  return el('button', {
    type: 'button', class: 'event', 'data-meeting': m.id, 'aria-pressed': 'false',
    onclick: () => ctx.choose(m.id),
  },
  bilateral ? null : el('span', { class: 'event-kind', text: ctx.label('kind', m.kind) }),
  el('span', { class: 'event-name', text: bilateral ? names || m.title : m.title }),
  who ? el('span', { class: 'event-who', text: who }) : null,
  m.end_date && m.end_date !== m.date ? el('span', { class: 'event-when', text: dateRange(m.date, m.end_date) }) : null,
  el('span', { class: 'event-count none', 'data-count': '', text: '\u00a0' })); // a line kept for the count
}

export function updateTimeline(s, counts) {
  const filtered = ['country', 'sector', 'status', 'q'].some((k) => s[k]);
  for (const b of document.querySelectorAll('#timeline .event')) {
    b.setAttribute('aria-pressed', b.dataset.meeting === s.meeting ? 'true' : 'false');
    if (!counts) continue;
    const n = counts.get(b.dataset.meeting) || 0;
    const span = b.querySelector('[data-count]');
    span.textContent = `${n ? n : 'no'} ${filtered ? 'matching ' : ''}deal${n === 1 ? '' : 's'}`;
    span.className = `event-count${n ? '' : ' none'}`;
  }
}

// ctx: { label, countryName, partners, link(state), sectors (the vocabulary's, in order) }
export function renderGrid(meetings, deals, ctx) {
  const sectors = ctx.sectors.length ? ctx.sectors : [...new Set(deals.map((d) => d.sector))];
  const count = new Map();
  for (const d of deals) for (const m of d.meetings) count.set(`${m}|${d.sector}`, (count.get(`${m}|${d.sector}`) || 0) + 1);
  let lastDate = null;
  const rows = meetings.map((m) => {
    const startsDay = m.date !== lastDate;
    lastDate = m.date;
    const name = m.kind === 'bilateral' ? ctx.partners(m.countries).map(ctx.countryName).join(', ') || m.title : m.title;
    return el('tr', { class: startsDay ? 'day-start' : null },
      el('th', { scope: 'row' }, name, el('span', { class: 'muted', text: ` · ${dateRange(m.date, m.end_date)}` })),
      sectors.map((sec) => {
        const n = count.get(`${m.id}|${sec}`) || 0;
        if (n) {
          return el('td', {}, el('a', { href: ctx.link({ meeting: m.id, sector: sec, page: 1 }), 'data-nav': '' },
            String(n), el('span', { class: 'visually-hidden', text: ` deal${n === 1 ? '' : 's'}` })));
        }
        if ((m.topics || []).includes(sec)) {
          return el('td', { class: 'topic' }, el('span', { 'aria-hidden': 'true', text: '•' }),
            el('span', { class: 'visually-hidden', text: 'on the agenda, no deal' }));
        }
        return el('td', {});
      }));
  });
  fill($('grid'), el('table', { class: 'grid' },
    el('caption', { class: 'visually-hidden', text: 'Deals and agenda topics by meeting and sector' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Meeting or event' }),
      sectors.map((sec) => el('th', { scope: 'col', class: 'sector', text: ctx.label('sector', sec) })))),
    el('tbody', {}, rows)));
}
