// The host's controls, behind one clear menu: lock the order, service
// charge and tip, take someone out (their dishes kept or removed), hand
// the host role on, edit the menu, and close the table with a word.
import { h, clear, icon } from './dom';
import { t, lang } from './i18n';
import { call } from './api';
import { app, isHost } from './app';
import { dialog, field, button, fail, busy, withId, priceField } from './ui';
import { watchers, onEvent } from './table';
import { deadTable } from './closed';
import { menuLang, shownName } from './names';
import { minorToDecimal, typedPrice } from './money';
import type { MenuItem, MenuItemInput, VersionResponse, MenuResponse } from './types';

const path = () => '/v1/rooms/' + app.roomId;
const token = () => ({ token: app.me!.token });

/** patchRoom sends the host's settings; the room event brings them back. */
async function patchRoom(body: Record<string, unknown>): Promise<void> {
  await call<VersionResponse>('PATCH', path(), body, token());
}

export function openHost(): void {
  if (!isHost() || !app.state) { return; }
  const st = app.state;
  const lock = h('input', { id: 'lock-toggle', type: 'checkbox', attrs: { role: 'switch', name: 'lock' } });
  lock.addEventListener('change', () => void guarded(() => patchRoom({ locked: lock.checked })));
  const service = field({ id: 'service-input', label: t('host.service'), value: String(st.room.serviceChargePercent), inputmode: 'decimal', hint: t('host.percent.hint') });
  const tip = field({ id: 'tip-input', label: t('host.tip'), value: String(st.room.tipPercent), inputmode: 'decimal' });
  const save = button(t('host.charges.save'), () => void busy(save, () => patchRoom({
    serviceChargePercent: percent(service.input.value), tipPercent: percent(tip.input.value),
  })), 'btn btn-secondary');
  save.id = 'charges-save';
  const people = h('ul', { class: 'host-people', id: 'host-people' });
  const box = h('div', { class: 'host' },
    h('section', { class: 'host-section' },
      h('label', { class: 'switch switch-row', attrs: { for: 'lock-toggle' } }, lock, h('span', { class: 'switch-track', attrs: { 'aria-hidden': 'true' } }),
        h('span', null, h('strong', { text: t('host.lock') }), h('span', { class: 'hint', text: t('host.lock.hint') })))),
    h('section', { class: 'host-section', attrs: { 'aria-labelledby': 'charges-h' } },
      h('h3', { id: 'charges-h', class: 'section-title', text: t('host.charges') }),
      h('div', { class: 'two-col' }, service.wrap, tip.wrap), save),
    h('section', { class: 'host-section', attrs: { 'aria-labelledby': 'people-host-h' } },
      h('h3', { id: 'people-host-h', class: 'section-title', text: t('host.people') }), people),
    h('section', { class: 'host-section' },
      withId(button(t('host.menu'), () => editMenu(), 'btn btn-secondary btn-block', icon('edit')), 'edit-menu'),
      withId(button(t('host.close'), () => closeTable(), 'btn btn-danger btn-block', icon('close')), 'close-table')));
  const draw = () => {
    if (!isHost()) { d.close(); return; }
    const now = app.state!;
    lock.checked = now.room.locked;
    for (const [f, v] of [[service.input, now.room.serviceChargePercent], [tip.input, now.room.tipPercent]] as const) {
      if (document.activeElement !== f && f.value !== String(v)) { f.value = String(v); }
    }
    drawPeople(people);
  };
  const d = dialog({ title: t('host.title'), id: 'host-dialog', body: [box], onClose: () => watchers.delete(draw) });
  draw();
  watchers.add(draw);
}

// drawPeople lists the others with what the host may do to each; it is
// redrawn only when they change, so a finger on a button keeps it.
function drawPeople(ul: HTMLElement): void {
  const st = app.state!;
  const others = st.members.filter((m) => m.id !== app.me?.memberId);
  const key = JSON.stringify(others.map((m) => [m.id, m.name]));
  if (ul.dataset.key === key) { return; }
  ul.dataset.key = key;
  clear(ul);
  for (const m of others) {
    ul.append(h('li', null,
      h('span', { class: 'person-name', dir: 'auto', text: m.name }),
      button(t('host.makehost'), () => makeHost(m.id, m.name), 'btn btn-small btn-secondary'),
      button(t('host.remove'), () => removeMember(m.id, m.name), 'btn btn-small btn-danger-quiet')));
  }
  if (!others.length) { ul.append(h('li', { class: 'muted', text: t('host.people.none') })); }
}

function percent(v: string): string {
  const s = v.trim().replace(',', '.').replace('%', '');
  return s === '' ? '0' : s;
}

async function guarded(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!deadTable(e)) { fail(e); }
  }
}

function confirmDialog(title: string, body: string, actions: [string, string, () => Promise<void>][]): void {
  const d = dialog({
    title, body: [h('p', { text: body, dir: 'auto' })],
    actions: actions.map(([text, cls, run]) => {
      const b = button(text, () => void busy(b, async () => { await run(); d.close(); }), cls);
      return b;
    }),
  });
}

function makeHost(id: string, name: string): void {
  confirmDialog(t('host.makehost.title', { name }), t('host.makehost.body', { name }), [
    [t('host.makehost'), 'btn btn-primary', () => patchRoom({ hostId: id })],
  ]);
}

function removeMember(id: string, name: string): void {
  const out = (keep: boolean) => () => call<VersionResponse>('DELETE', path() + '/members/' + id + '?choices=' + (keep ? 'keep' : 'remove'), undefined, token()).then(() => undefined);
  confirmDialog(t('host.remove.title', { name }), t('host.remove.body', { name }), [
    [t('host.remove.keep'), 'btn btn-secondary', out(true)],
    [t('host.remove.drop'), 'btn btn-danger', out(false)],
  ]);
}

function closeTable(): void {
  const words = field({ id: 'close-words', label: t('host.close.words'), maxlength: 140, placeholder: t('host.close.placeholder') });
  const go = button(t('host.close.confirm'), () => void busy(go, async () => {
    const reason = words.input.value.trim();
    await call<VersionResponse>('POST', path() + '/close', reason ? { reason } : undefined, token());
    d.close();
  }), 'btn btn-danger');
  go.id = 'close-confirm';
  const d = dialog({ title: t('host.close.title'), body: [h('p', { text: t('host.close.body') }), words.wrap], actions: [go] });
}

// ---- editing the menu -----------------------------------------------------------

interface EditRow { id: string; name: HTMLInputElement; price: HTMLInputElement; orig?: MenuItem }

function editMenu(): void {
  const st = app.state!;
  const printed = menuLang(st.room.menu);
  const rows: EditRow[] = [];
  const list = h('ol', { class: 'draft-list', id: 'edit-menu' });
  const add = (it?: MenuItem) => {
    const n = rows.length + 1;
    const name = h('input', { id: 'em-n-' + n, class: 'input draft-name', type: 'text', lang: it ? printed || undefined : undefined, attrs: { name: 'em-n-' + n, maxlength: 200, dir: 'auto' } });
    const price = h('input', { id: 'em-p-' + n, class: 'input draft-price', type: 'text', attrs: { name: 'em-p-' + n, inputmode: 'decimal' } });
    name.value = it?.name ?? '';
    price.value = it?.priceMinor !== undefined ? minorToDecimal(it.priceMinor, st.room.currencyDigits) : '';
    const row: EditRow = { id: it?.id ?? '', name, price, orig: it };
    const shown = it ? shownName(it, lang(), printed) : null;
    const li = h('li', { class: 'draft-item' },
      h('div', { class: 'draft-main' },
        h('label', { class: 'visually-hidden', text: t('preview.dish.name', { n }), attrs: { for: name.id } }), name,
        h('label', { class: 'visually-hidden', text: t('preview.dish.price', { n }), attrs: { for: price.id } }), priceField(price, st.room.currency).wrap,
        h('button', {
          class: 'btn icon-btn btn-quiet', type: 'button', attrs: { 'aria-label': t('preview.dish.remove', { name: it?.name ?? String(n) }) },
          on: { click: () => { li.remove(); rows.splice(rows.indexOf(row), 1); } },
        }, icon('close'))),
      shown ? h('p', { class: 'muted', text: shown.text, lang: shown.lang }) : null);
    rows.push(row);
    list.append(li);
    if (!it) { name.focus(); }
  };
  st.room.menu.forEach(add);
  const save = button(t('action.save'), () => void busy(save, async () => {
    const menu: MenuItemInput[] = rows.filter((r) => r.name.value.trim()).map((r) => {
      const it: MenuItemInput = { name: r.name.value.trim() };
      if (r.id) { it.id = r.id; }
      const p = typedPrice(r.price.value);
      if (p) { it.price = p; }
      if (r.orig && r.orig.name === it.name) {
        if (r.orig.description) { it.description = r.orig.description; }
      }
      return it;
    });
    const res = await call<MenuResponse>('PUT', path() + '/menu', { menu }, token());
    onEvent('menu', res);
    d.close();
  }), 'btn btn-primary');
  const d = dialog({
    title: t('host.menu'), class: 'sheet-full', id: 'menu-editor',
    body: [h('p', { class: 'muted', text: t('host.menu.hint') }), list, button(t('preview.add'), () => add(), 'btn btn-ghost btn-block', icon('plus'))],
    actions: [save],
  });
}
