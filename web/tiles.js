// The tiles at the top: each says what it counts. The partners met are the
// countries of the bilateral meetings (Korea, and countries only mentioned,
// are not), and the money is shown per basis and currency, as the API totals
// it (stats.deals.totals): figures that measure different things, or are in
// different currencies, are never added together.
import { el, fill, moneyText } from './util.js';

// How many deals of a basis are listed by name before "and N more".
const LISTED = 3;

// ctx: { stats, meetings, valued (deals with a value, largest first), partners(codes),
//        vocab (basis id -> {label, description}), link(state), apiLink(basis, currency) }
export function renderTiles(ctx) {
  const { stats, meetings, valued } = ctx;
  const set = (name, text) => { document.querySelector(`[data-tile="${name}"]`).textContent = text; };
  const bilaterals = meetings.filter((m) => m.kind === 'bilateral');
  set('bilaterals', String(bilaterals.length));
  set('partners', String(new Set(bilaterals.flatMap((m) => ctx.partners(m.countries))).size));
  set('deals', String(stats.counts.deals));
  fill(document.querySelector('[data-tile="figures"]'), figures(ctx, valued, stats));
}

function figures(ctx, valued, stats) {
  const totals = stats.deals.totals || [];
  const order = [...ctx.vocab.keys()];
  const rank = (basis) => (order.includes(basis) ? order.indexOf(basis) : order.length);
  const groups = [...totals].sort((a, b) => rank(a.basis) - rank(b.basis) || a.currency.localeCompare(b.currency));
  const count = stats.counts.deals;
  const valuedCount = stats.deals.valued ?? valued.length;
  if (!groups.length) return el('p', { class: 'muted', text: `None of the ${count} deals states a figure.` });
  return [
    el('ul', { class: 'figure-groups' }, groups.map((t) => {
      const deals = valued.filter((d) => d.value.basis === t.basis && d.value.currency === t.currency);
      return el('li', { class: 'figure-group', 'data-basis': t.basis, 'data-currency': t.currency }, group(ctx, t, deals));
    })),
    el('p', { class: 'muted', text: `${valuedCount} of ${count} deals state a figure. `
      + (groups.length > 1 ? 'Figures that measure different things, or in different currencies, are not added up.' : '') }),
  ];
}

function group(ctx, total, deals) {
  const about = ctx.vocab.get(total.basis) || { label: total.basis, description: '' };
  const one = total.deals === 1 && deals.length === 1 ? deals[0] : null;
  // One deal: its own figure, with its second currency. Several: the API's
  // total, rounded as an estimate is where any of them is one.
  const amount = one
    ? moneyText(one.value, one.value_alt)
    : moneyText({ amount: total.amount, currency: total.currency, estimate: total.estimate }, null, { rough: total.estimate });
  const named = deals.slice(0, LISTED);
  const more = total.deals - named.length;
  return [
    el('span', { class: 'figure-basis' }, el('strong', { text: about.label }),
      about.description ? el('span', { class: 'muted', text: ` — ${lower(about.description)}` }) : null),
    el('span', { class: 'figure-amount' },
      el('span', { class: 'amount', text: amount }),
      one ? null : el('span', { class: 'muted', text: ` in all, ${total.deals} deal${total.deals === 1 ? '' : 's'}${total.estimate ? ', estimated' : ''}` })),
    el('span', { class: 'figure-deals' },
      named.map((d, i) => [i ? '; ' : '', el('a', { href: ctx.link({ deal: d.id, page: 1 }), 'data-nav': '' }, d.title),
        one ? null : el('span', { class: 'muted', text: ` (${moneyText(d.value)})` })]),
      more > 0 ? [' and ', el('a', { href: ctx.apiLink(total.basis, total.currency) }, `${more} more`)] : null),
  ];
}

const lower = (text) => text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');
