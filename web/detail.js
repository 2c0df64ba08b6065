// One deal's full story (/?deal=ID): what it is, what it is worth and on what
// basis, where it came up, who is in it, and the article's own words for it.
import { API, get } from './api.js';
import { basisText, dateRange, el, fill, moneyText } from './util.js';

// ctx: { ref, link(state), label(vocab, id), countryName(code), partners(codes), back }
export async function renderDetail(target, id, ctx) {
  const { ref } = ctx;
  target.setAttribute('aria-busy', 'true');
  fill(target, el('p', { class: 'muted', text: 'Loading the deal…' }));
  let deal;
  try {
    deal = (await get(`${API}/deals/${encodeURIComponent(id)}`)).body;
  } catch (e) {
    target.setAttribute('aria-busy', 'false');
    fill(target,
      ctx.back(),
      el('h2', { id: 'detail-title', tabindex: '-1', text: e.status === 404 ? 'No such deal' : 'The deal could not be loaded' }),
      el('p', { text: e.status === 404 ? `There is no deal “${id}” in this dataset.` : e.message }),
      e.status === 404 ? null : el('button', { type: 'button', onclick: () => renderDetail(target, id, ctx) }, 'Try again'));
    return;
  }

  const item = (term, ...value) => [el('dt', { text: term }), el('dd', {}, ...value)];
  const list = (xs, make = (x) => x) => (xs && xs.length ? el('ul', {}, xs.map((x) => el('li', {}, make(x)))) : null);
  const none = (text) => el('span', { class: 'muted', text });
  const countryLink = (code) => el('a', { href: ctx.link({ country: code }), 'data-nav': '' }, ctx.countryName(code));

  const meetings = (deal.meetings || []).map((mid) => ref.meetings.get(mid) || { id: mid, title: mid, date: null });
  const partners = ctx.partners(deal.countries || []);
  const value = deal.value
    ? [el('span', { class: 'money', text: moneyText(deal.value, deal.value_alt) }),
      basisText(deal.value) ? el('span', { class: 'muted', text: ` — ${basisText(deal.value)}${deal.value.estimate ? ', an estimate' : ''}` }) : null]
    : [none('The article states no figure for it.')];

  fill(target,
    ctx.back(),
    el('p', { class: 'muted', text: 'Deal' }),
    el('h2', { id: 'detail-title', tabindex: '-1', text: deal.title }),
    el('ul', { class: 'badges', 'aria-label': 'Status and sector' },
      el('li', { class: 'badge', text: `Status: ${ctx.label('status', deal.status)}` }),
      el('li', { class: 'badge', text: `Sector: ${ctx.label('sector', deal.sector)}` }),
      deal.date ? el('li', { class: 'badge', text: `Date: ${dateRange(deal.date)}` }) : null),
    el('p', { class: 'summary', text: deal.summary || '' }),

    el('h3', { text: 'Value' }),
    el('p', {}, value),

    el('h3', { text: 'Where it came up' }),
    meetings.length
      ? list(meetings, (m) => [
        el('a', { href: ctx.link({ meeting: m.id }), 'data-nav': '' }, m.title || m.id),
        m.date ? el('span', { class: 'muted', text: ` — ${dateRange(m.date, m.end_date)}${m.location ? `, ${m.location}` : ''}` }) : null])
      : el('p', {}, none('No meeting is recorded for it.')),

    el('h3', { text: 'Who is in it' }),
    el('dl', {},
      item('Partner countries', partners.length ? list(partners, countryLink) : none('Korea alone')),
      item('Companies', list(deal.companies) || none('none named')),
      (deal.partners || []).length ? item('Public bodies', list(deal.partners)) : null,
      (deal.organizations || []).length ? item('Organizations', list(deal.organizations)) : null,
      item('Location', deal.location || none('not given')),
      item('Response', deal.response ? ctx.label('response', deal.response) : none('not reported')),
      (deal.incentives || []).length ? item('Incentives offered', list(deal.incentives)) : null,
      (deal.items || []).length ? item('Items', list(deal.items)) : null,
      deal.completion_year ? item('Completion', String(deal.completion_year)) : null),

    el('h3', { text: 'What the article says' }),
    evidence(deal.evidence, ref),

    el('p', { class: 'api-link' }, 'This deal in the API: ',
      el('a', { href: `${API}/deals/${encodeURIComponent(deal.id)}` }, el('code', { text: `${API}/deals/${deal.id}` }))));
  target.setAttribute('aria-busy', 'false');
  document.title = `${deal.title} — attache`;
}

// The article's quotes for a record: [{source, quote}]. A source is named by
// the sources collection where the API has one, else shown as given.
function evidence(quotes, ref) {
  if (!Array.isArray(quotes) || !quotes.length) {
    return el('p', { class: 'muted', text: 'The quotes from the article that state these facts are not in the API yet.' });
  }
  return quotes.map((q) => {
    const src = typeof q.source === 'string' ? ref.sources.get(q.source) : q.source;
    const name = src ? [src.publisher, src.title].filter(Boolean).join(', ') : (q.source || 'the article');
    return el('blockquote', {},
      el('p', { text: `“${q.quote}”` }),
      el('footer', {}, '— ', src && src.url ? el('a', { href: src.url }, el('cite', { text: name })) : el('cite', { text: name })));
  });
}
