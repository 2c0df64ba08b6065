// One deal's full story (/?deal=ID): what it is, what it is worth and what
// that figure measures, where it came up, who is in it, and the evidence: the
// article's own words for it, each with its source, and what the dataset
// infers beyond them, marked as such where it shows and explained below.
import { API, get, query } from './api.js';
import { highlight, matcher } from './search.js';
import { dateRange, el, fill, moneyText } from './util.js';

// What a deal's members are called on its page, for the inferences about them.
const FIELD_NAMES = {
  countries: 'Partner countries', meetings: 'Where it came up', sector: 'Sector', status: 'Status',
  date: 'Date', value: 'Value', value_alt: 'Value', companies: 'Companies', partners: 'Public bodies',
  organizations: 'Organizations', location: 'Location', response: 'Response', incentives: 'Incentives offered',
  items: 'Items', completion_year: 'Completion', title: 'Title', summary: 'Summary', aliases: 'Other names',
  // A meeting's and a country's.
  counterpart: 'Leader met', topics: 'Topics', kind: 'Kind', end_date: 'End date', participants: 'Participants',
  delegation: 'Delegation', roles: 'Roles', leader: 'Leader', resources: 'Resources', plans: 'Plans',
};
const fieldName = (f) => FIELD_NAMES[f] || FIELD_NAMES[f.split('.')[0]] || f;

// ctx: { ref, link(state), label(vocab, id), countryName(code), partners(codes), back, q }
export async function renderDetail(target, id, ctx) {
  const { ref } = ctx;
  target.setAttribute('aria-busy', 'true');
  fill(target, el('p', { class: 'muted', text: 'Loading the deal…' }));
  let deal;
  let items = [];
  try {
    const [one, search] = await Promise.all([
      get(`${API}/deals/${encodeURIComponent(id)}`),
      // The search the visitor came from: how the API read it, to mark its words here too.
      ctx.q ? get(`${API}/deals${query(new URLSearchParams({ q: ctx.q, id, fields: 'id', limit: '0' }))}`).catch(() => null) : null,
    ]);
    deal = one.body;
    items = search && search.body.meta.total ? matcher(search.body.meta.search) : [];
  } catch (e) {
    notLoaded(target, e, `deal “${id}”`, ctx, () => renderDetail(target, id, ctx));
    return;
  }

  const inferences = Array.isArray(deal.inferences) ? deal.inferences : [];
  // A mark beside what goes beyond the article's words, leading to the reason.
  const inferred = (...fields) => {
    const i = inferences.findIndex((x) => fields.some((f) => x.field === f || x.field.startsWith(`${f}.`)));
    return i === -1 ? null : [' ', el('a', { class: 'inferred', href: `#inference-${i + 1}` }, 'inferred',
      el('span', { class: 'visually-hidden', text: `: see why (${i + 1})` }))];
  };
  const item = (term, field, ...value) => [el('dt', {}, term, inferred(field)), el('dd', {}, ...value)];
  const mark = (text) => highlight(text, items);
  const list = (xs, make = mark) => (xs && xs.length ? el('ul', {}, xs.map((x) => el('li', {}, make(x)))) : null);
  const none = (text) => el('span', { class: 'muted', text });
  const countryLink = (code) => el('a', { href: ctx.link({ country: code }), 'data-nav': '' }, ctx.countryName(code));

  const meetings = (deal.meetings || []).map((mid) => ref.meetings.get(mid) || { id: mid, title: mid, date: null });
  const partners = ctx.partners(deal.countries || []);

  fill(target,
    ctx.back(),
    el('p', { class: 'muted', text: 'Deal' }),
    el('h2', { id: 'detail-title', tabindex: '-1' }, mark(deal.title)),
    (deal.aliases || []).length
      ? el('p', { class: 'muted' }, 'Also called ', deal.aliases.map((a, i) => [i ? ', ' : '', '“', mark(a), '”'])) : null,
    items.length ? el('p', { class: 'muted search-note', text: `Marked: the words of your search “${ctx.q}”.` }) : null,
    el('ul', { class: 'badges', 'aria-label': 'Status and sector' },
      el('li', { class: 'badge' }, `Status: ${ctx.label('status', deal.status)}`, inferred('status')),
      el('li', { class: 'badge' }, `Sector: ${ctx.label('sector', deal.sector)}`, inferred('sector')),
      deal.date ? el('li', { class: 'badge' }, `Date: ${dateRange(deal.date)}`, inferred('date')) : null),
    ref.about.status && ref.about.status.get(deal.status)
      ? el('p', { class: 'muted status-meaning', text: `${ctx.label('status', deal.status)}: ${ref.about.status.get(deal.status).description}` }) : null,
    el('p', { class: 'summary' }, mark(deal.summary || '')),

    el('h3', {}, 'Value', inferred('value', 'value_alt')),
    valueStory(deal, ref),

    el('h3', {}, 'Where it came up', inferred('meetings')),
    meetings.length
      ? list(meetings, (m) => [
        el('a', { href: ctx.link({ meeting: m.id }), 'data-nav': '' }, m.title || m.id),
        m.date ? el('span', { class: 'muted', text: ` — ${dateRange(m.date, m.end_date)}${m.location ? `, ${m.location}` : ''}` }) : null])
      : el('p', {}, none('No meeting is recorded for it.')),

    el('h3', { text: 'Who is in it' }),
    el('dl', {},
      item('Partner countries', 'countries', partners.length ? list(partners, countryLink) : none('Korea alone')),
      item('Companies', 'companies', list(deal.companies) || none('none named')),
      (deal.partners || []).length ? item('Public bodies', 'partners', list(deal.partners)) : null,
      (deal.organizations || []).length ? item('Organizations', 'organizations', list(deal.organizations)) : null,
      item('Location', 'location', deal.location ? mark(deal.location) : none('not given')),
      item('Response', 'response', deal.response ? ctx.label('response', deal.response) : none('not reported')),
      (deal.incentives || []).length ? item('Incentives offered', 'incentives', list(deal.incentives)) : null,
      (deal.items || []).length ? item('Items', 'items', list(deal.items)) : null,
      deal.completion_year ? item('Completion', 'completion_year', String(deal.completion_year)) : null),

    el('h3', { text: 'What the article says' }),
    evidence(deal.evidence, ref, ctx),

    el('h3', { id: 'inferences-title', text: 'What the dataset infers' }),
    inferences.length
      ? [el('p', { class: 'muted', text: 'These go beyond the article\'s words; each is marked “inferred” above.' }),
        el('ol', { class: 'inferences' }, inferences.map((x, i) => el('li', { id: `inference-${i + 1}` },
          el('strong', { text: `${fieldName(x.field)}: ` }), x.reason)))]
      : el('p', { class: 'muted', text: 'Nothing: every fact here is in the article\'s words.' }),

    el('p', { class: 'api-link' }, 'This deal in the API: ',
      el('a', { href: `${API}/deals/${encodeURIComponent(deal.id)}` }, el('code', { text: `${API}/deals/${deal.id}` }))));
  target.setAttribute('aria-busy', 'false');
  document.title = `${deal.title} — attache`;
}

// A record's page that could not be loaded: no such record (a 404), or a
// failure that may pass, with a button to try again. what: "deal “x”".
export function notLoaded(target, e, what, ctx, retry) {
  const [kind] = what.split(' ');
  target.setAttribute('aria-busy', 'false');
  fill(target,
    ctx.back(),
    el('h2', { id: 'detail-title', tabindex: '-1', text: e.status === 404 ? `No such ${kind}` : `The ${kind} could not be loaded` }),
    el('p', { text: e.status === 404 ? `There is no ${what} in this dataset.` : e.message }),
    e.status === 404 ? null : el('button', { type: 'button', onclick: retry }, 'Try again'));
}

// The figure, what it measures (the basis vocabulary's own words), whether
// the article calls it an estimate, and its second currency as the article's.
function valueStory(deal, ref) {
  const v = deal.value;
  if (!v) return el('p', {}, el('span', { class: 'muted', text: 'The article states no figure for it.' }));
  const basis = ref.about.basis && ref.about.basis.get(v.basis);
  return [
    el('p', {}, el('span', { class: 'money', text: moneyText(v, deal.value_alt) })),
    el('dl', { class: 'value-facts' },
      el('dt', { text: 'What it measures' }),
      el('dd', {}, basis ? [el('strong', { text: basis.label }), basis.description ? `: ${basis.description}` : ''] : (v.basis || 'not said')),
      el('dt', { text: 'Precision' }),
      el('dd', { text: v.estimate ? 'An estimate: the article calls the figure approximate, so it is shown with “about”.'
        : 'As the article states it.' }),
      deal.value_alt ? [el('dt', { text: 'Second currency' }),
        el('dd', { text: `The article also gives it as ${moneyText(deal.value_alt)}: its own figure, not a conversion.` })] : null),
  ];
}

// A source's name, linked to its page in the dashboard (?source=ID).
export function sourceCitation(src, id, ctx) {
  const name = src ? [src.publisher, src.title && `“${src.title}”`].filter(Boolean).join(', ') : id;
  return [el('a', { href: ctx.link({ source: id }), 'data-nav': '', class: 'source-link' }, el('cite', { text: name })),
    src && src.url ? [' (', el('a', { href: src.url }, 'the original'), ')'] : null];
}

// The article's quotes for a record: [{source, quote}], each with its source.
function evidence(quotes, ref, ctx) {
  if (!Array.isArray(quotes) || !quotes.length) {
    return el('p', { class: 'muted', text: 'No quote from a source is recorded for it.' });
  }
  return quotes.map((q) => el('blockquote', {},
    el('p', { text: `“${q.quote}”` }),
    el('footer', {}, '— ', sourceCitation(ref.sources.get(q.source), q.source, ctx))));
}

// A meeting's or a country's evidence, folded away under a panel: its quotes
// with their sources, and what the dataset infers about it. ctx: { ref, link }
export function evidenceDetails(record, ctx) {
  const quotes = Array.isArray(record.evidence) ? record.evidence : [];
  const inferences = Array.isArray(record.inferences) ? record.inferences : [];
  if (!quotes.length && !inferences.length) return null;
  const n = (k, word) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const what = [quotes.length ? n(quotes.length, 'quote') : '', inferences.length ? n(inferences.length, 'inference') : '']
    .filter(Boolean).join(' and ');
  return el('details', { class: 'evidence' },
    el('summary', { text: `The evidence: ${what}` }),
    quotes.length ? evidence(quotes, ctx.ref, ctx) : null,
    inferences.length ? el('ul', { class: 'inferences' }, inferences.map((x) => el('li', {},
      el('strong', { text: `${fieldName(x.field)}, inferred: ` }), x.reason))) : null);
}

// Whether the dataset infers a record's field (or a member of it).
export const isInferred = (record, field) => (record.inferences || []).some((x) => x.field === field || x.field.startsWith(`${field}.`));
