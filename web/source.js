// One source's page (/?source=ID): the sources record as the API gives it
// (title, publisher, date, URL, note) and the records whose evidence cites it
// (/api/v1/sources/{id}/deals, /meetings, /countries).
import { API, get } from './api.js';
import { notLoaded } from './detail.js';
import { el, fill, longDate } from './util.js';

// ctx: { link(state), countryName(code), back }
export async function renderSource(target, id, ctx) {
  target.setAttribute('aria-busy', 'true');
  fill(target, el('p', { class: 'muted', text: 'Loading the source…' }));
  const at = `${API}/sources/${encodeURIComponent(id)}`;
  let src, deals, meetings, countries;
  try {
    [src, deals, meetings, countries] = (await Promise.all([
      get(at),
      get(`${at}/deals?fields=id,title&limit=1000`),
      get(`${at}/meetings?fields=id,title&sort=date&limit=1000`),
      get(`${at}/countries?fields=code,name&sort=name&limit=1000`),
    ])).map((a) => a.body);
  } catch (e) {
    notLoaded(target, e, `source “${id}”`, ctx, () => renderSource(target, id, ctx));
    return;
  }
  const none = (text) => el('span', { class: 'muted', text });
  const cited = (title, answer, make) => el('details', { class: 'cited' },
    el('summary', { text: `${title} (${answer.meta.total})` }),
    answer.data.length ? el('ul', {}, answer.data.map((r) => el('li', {}, make(r)))) : el('p', {}, none('none')));

  fill(target,
    ctx.back(),
    el('p', { class: 'muted', text: 'Source' }),
    el('h2', { id: 'detail-title', tabindex: '-1', text: src.title }),
    el('dl', {},
      el('dt', { text: 'Publisher' }), el('dd', {}, src.publisher || none('not given')),
      el('dt', { text: 'Published' }), el('dd', {}, src.date ? longDate(src.date) : none('The source prints no date.')),
      el('dt', { text: 'Address' }), el('dd', {}, src.url ? el('a', { href: src.url }, src.url) : none('The source gives no URL.'))),
    src.note ? el('p', { class: 'summary', text: src.note }) : null,
    el('h3', { text: 'What it is evidence for' }),
    el('p', { class: 'muted', text: 'Every record below quotes this source for its facts; each deal\'s page shows the quotes.' }),
    cited('Deals', deals, (d) => el('a', { href: ctx.link({ deal: d.id }), 'data-nav': '' }, d.title)),
    cited('Meetings and events', meetings, (m) => el('a', { href: ctx.link({ meeting: m.id }), 'data-nav': '' }, m.title)),
    cited('Countries', countries, (c) => el('a', { href: ctx.link({ country: c.code }), 'data-nav': '' }, c.name)),
    el('p', { class: 'api-link' }, 'This source in the API: ', el('a', { href: at }, el('code', { text: at }))));
  target.setAttribute('aria-busy', 'false');
  document.title = `${src.title} — attache`;
}
