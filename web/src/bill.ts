// The summary: the order by dish, and the fair split by person, with
// each person's dishes and their shares of the dishes for the table,
// the service charge and the tip. Everything comes from the summary the
// server sends (and the same arithmetic after each change, summary.ts).
import { h, clear } from './dom';
import { t, lang } from './i18n';
import { app } from './app';
import { dialog } from './ui';
import { formatMoney } from './money';
import { menuLang, label } from './names';
import { watchers } from './table';
import type { MemberShare, MenuItem } from './types';

export function openSummary(): void {
  const box = h('div', { id: 'summary' });
  const draw = () => drawSummary(box);
  draw();
  watchers.add(draw);
  dialog({ title: t('summary.title'), id: 'summary-dialog', class: 'sheet-full', body: [box], onClose: () => watchers.delete(draw) });
}

function drawSummary(box: HTMLElement): void {
  const st = app.state;
  if (!st) { return; }
  const key = JSON.stringify([lang(), st.epoch, st.version]);
  if (box.dataset.key === key) { return; }
  box.dataset.key = key;
  clear(box);
  const s = st.summary;
  const r = st.room;
  const printed = menuLang(r.menu);
  const menu = new Map(r.menu.map((it) => [it.id, it]));
  const money = (v: number | undefined) => (v === undefined ? '' : formatMoney(v, r.currency, r.currencyDigits, lang()));
  const dishName = (id: string) => {
    const it = menu.get(id);
    return it ? label(it, lang(), printed) : id;
  };
  if (s.quantity === 0) {
    box.append(h('p', { class: 'empty', text: t('summary.empty') }));
    return;
  }
  const priced = s.totalMinor !== undefined;
  box.append(
    h('section', { attrs: { 'aria-labelledby': 'sum-dishes-h' } },
      h('h3', { id: 'sum-dishes-h', class: 'section-title', text: t('summary.dishes') }),
      h('table', { class: 'sum-table', id: 'sum-dishes' },
        h('thead', null, h('tr', null,
          h('th', { text: t('summary.col.qty'), class: 'num', attrs: { scope: 'col' } }),
          h('th', { text: t('summary.col.dish'), attrs: { scope: 'col' } }),
          priced ? h('th', { text: t('summary.col.amount'), class: 'num', attrs: { scope: 'col' } }) : null)),
        h('tbody', null, ...s.items.map((it) => h('tr', null,
          h('td', { class: 'num', text: String(it.quantity) }),
          h('th', { attrs: { scope: 'row' } }, dishCell(menu.get(it.menuId), dishName(it.menuId), printed),
            it.sharedQuantity ? h('span', { class: 'tag-static', text: t('summary.shared', { n: it.sharedQuantity }) }) : null),
          priced ? h('td', { class: 'num', text: money(it.totalMinor) }) : null))),
        totals(priced, s, money, 3))),
    h('section', { attrs: { 'aria-labelledby': 'sum-people-h' } },
      h('h3', { id: 'sum-people-h', class: 'section-title', text: t('summary.people') }),
      ...s.members.filter((m) => m.items.length || m.quantity).map((m) => personCard(m, priced, money, dishName, st.members.find((x) => x.id === m.memberId)?.done))),
  );
}

function dishCell(it: MenuItem | undefined, shown: string, printed: string): HTMLElement {
  if (!it || shown === it.name) { return h('span', { text: shown, lang: printed || undefined, dir: 'auto' }); }
  return h('span', null, h('span', { text: shown, dir: 'auto' }), ' ', h('span', { class: 'muted', lang: printed || undefined, text: it.name, dir: 'auto' }));
}

function totals(priced: boolean, s: { subtotalMinor?: number; serviceMinor?: number; tipMinor?: number; totalMinor?: number; quantity: number },
  money: (v: number | undefined) => string, cols: number): HTMLElement | null {
  if (!priced) {
    return h('tfoot', null, h('tr', { class: 'total' }, h('td', { class: 'num', text: String(s.quantity) }), h('th', { attrs: { scope: 'row' }, text: t('summary.total') })));
  }
  const st = app.state!;
  const row = (k: string, v: number | undefined, cls = '') => h('tr', { class: cls },
    h('th', { attrs: { scope: 'row', colspan: cols - 1 }, text: k }), h('td', { class: 'num', text: money(v) }));
  return h('tfoot', null,
    s.serviceMinor || s.tipMinor ? row(t('summary.subtotal'), s.subtotalMinor) : null,
    s.serviceMinor ? row(t('summary.service', { p: st.room.serviceChargePercent }), s.serviceMinor) : null,
    s.tipMinor ? row(t('summary.tip', { p: st.room.tipPercent }), s.tipMinor) : null,
    row(t('summary.total'), s.totalMinor, 'total'));
}

function personCard(m: MemberShare, priced: boolean, money: (v: number | undefined) => string, dishName: (id: string) => string, done?: boolean): HTMLElement {
  const you = m.memberId === app.me?.memberId;
  const lines = m.items.map((l) => h('tr', null,
    h('th', { attrs: { scope: 'row' } },
      h('span', { dir: 'auto', text: l.shared ? t('summary.share.line', { dish: dishName(l.menuId), n: l.sharedBy ?? 1 }) : l.quantity + ' × ' + dishName(l.menuId) }),
      l.note ? h('span', { class: 'note-line', text: l.note, dir: 'auto' }) : null),
    priced ? h('td', { class: 'num', text: money(l.amountMinor) }) : null));
  return h('article', { class: 'person-card' + (you ? ' is-you' : ''), data: { memberId: m.memberId } },
    h('h4', { class: 'person-card-h' },
      h('span', { dir: 'auto', text: you ? t('people.you', { name: m.name }) : m.name }),
      done ? h('span', { class: 'badge badge-ok', text: t('people.done') }) : null,
      priced ? h('span', { class: 'person-total', text: money(m.totalMinor) }) : null),
    h('table', { class: 'sum-table' },
      h('caption', { class: 'visually-hidden', text: t('summary.of', { name: m.name }) }),
      h('tbody', null, ...lines),
      priced ? totals(true, { ...m, quantity: m.quantity }, money, 2) : null));
}
