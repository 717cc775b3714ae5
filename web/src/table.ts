// At the table: the menu with everyone's picks, your own quantities,
// notes and dishes for the table, who is here and who is done, and the
// bar at the bottom with your share and the table's total, one tap from
// the summary and the staff card. The state follows the room live.
import { h, icon, must, setText, clear } from './dom';
import { t, lang, AUTONYMS } from './i18n';
import { call, net } from './api';
import { app, isHost, saveMe } from './app';
import { show, fail, announce, dialog, field, button, langSelect, hideToast, withId, busy } from './ui';
import { applyDelta, choiceKey, fromSnapshot, replaces } from './state';
import { Follower, type Link } from './sync';
import { menuLang, shownName, label } from './names';
import { formatMoney } from './money';
import type { Choice, ChoiceResponse, MenuItem, Snapshot, EventPosition, ClosedEvent, LeftEvent, MemberResponse, DishNameResponse } from './types';
import { openSummary } from './bill';
import { openStaffCard } from './staff';
import { openHost } from './host';
import { showClosed, showDead, deadTable } from './closed';
import { showShare } from './share';
import { shareLink } from './app';

/** Dialogs that show the state redraw themselves through these. */
export const watchers = new Set<() => void>();

// ---- entering, following, leaving ------------------------------------------

export function enterRoom(): void {
  const me = app.me!;
  const roomId = app.roomId!;
  showTable();
  if (app.follower) {
    render();
    return;
  }
  void (async () => {
    await refetch();
    if (!app.state || app.state.room.closed || app.screen === 'closed') { return; }
    // The stream authenticates with the member's cookie; a token kept in
    // localStorage may have outlived it.
    try {
      await call('POST', '/v1/rooms/' + roomId + '/session', undefined, { token: me.token });
    } catch (e) {
      if (deadTable(e)) { return; }
    }
    const f = new Follower(roomId, me.token, {
      event: onEvent,
      position: () => (app.state ? app.state.epoch + '.' + app.state.version : ''),
      link: setLink,
      check: refetch,
    });
    app.follower = f;
    f.start();
  })();
}

export function stopFollowing(): void {
  app.follower?.stop();
  app.follower = null;
}

export async function refetch(): Promise<void> {
  if (!app.me || !app.roomId) { return; }
  try {
    const s = await call<Snapshot>('GET', '/v1/rooms/' + app.roomId, undefined, { token: app.me.token });
    onEvent('snapshot', s);
  } catch (e) {
    deadTable(e);
  }
}

/** onEvent applies an event of the stream, of the long-poll or of a
 * change's answer. */
export function onEvent(type: string, data: unknown): void {
  if (type === 'snapshot') {
    const s = data as Snapshot;
    if (replaces(app.state, s)) { app.state = fromSnapshot(s); }
  } else if (type === 'closed') {
    if (app.state) {
      applyDelta(app.state, type, data as EventPosition);
      app.state.room.closed = true;
      app.state.closedMessage = (data as ClosedEvent).message;
    }
  } else if (!app.state) {
    void refetch();
    return;
  } else if (applyDelta(app.state, type, data as EventPosition) === 'refetch') {
    void refetch();
  }
  if (type === 'left' && app.me && (data as LeftEvent).memberId === app.me.memberId) {
    showDead({ status: 403, code: (data as LeftEvent).reason === 'removed' ? 'removed' : 'left' });
    return;
  }
  if (app.state?.room.closed) {
    showClosed();
    return;
  }
  render();
}

let shownLink: Link = 'connecting';

function setLink(l: Link): void {
  app.link = l;
  const pill = must('#status');
  pill.dataset.state = l;
  setText(pill, t(('link.' + l) as 'link.live'));
  if (l !== shownLink) {
    if (l === 'reconnecting' || l === 'offline') { announce(t('link.' + l as 'link.live')); }
    if ((l === 'live' || l === 'polling') && (shownLink === 'reconnecting' || shownLink === 'offline')) { announce(t('link.back')); }
    shownLink = l;
  }
  renderPeople();
}

// ---- my changes -----------------------------------------------------------------

interface Want { quantity: number; note: string; shared: boolean }

/** What this phone asked for and the server has not answered yet. */
const wants = new Map<string, Want>();
const inflight = new Set<string>();

function mine(menuId: string): Choice | undefined {
  return app.state && app.me ? app.state.choices[choiceKey(app.me.memberId, menuId)] : undefined;
}

export function myWant(menuId: string): Want {
  const c = mine(menuId);
  return wants.get(menuId) ?? { quantity: c?.quantity ?? 0, note: c?.note ?? '', shared: c?.shared ?? false };
}

/** setMine changes my choice of a dish. Requests for one dish go one at
 * a time, the latest wish last, so fast taps cannot land out of order. */
export function setMine(menuId: string, patch: Partial<Want>): void {
  const w = { ...myWant(menuId), ...patch };
  w.quantity = Math.max(0, Math.min(99, w.quantity));
  wants.set(menuId, w);
  render();
  void pump(menuId);
}

async function pump(menuId: string): Promise<void> {
  if (inflight.has(menuId)) { return; }
  inflight.add(menuId);
  try {
    for (let w = wants.get(menuId); w; w = wants.get(menuId)) {
      try {
        const r = await call<ChoiceResponse>('POST', '/v1/rooms/' + app.roomId + '/choices',
          { menuId, quantity: w.quantity, note: w.quantity ? w.note : '', shared: w.quantity ? w.shared : false }, { token: app.me!.token });
        if (wants.get(menuId) === w) { wants.delete(menuId); }
        hideToast();
        onEvent('choice', { ...r.choice, version: r.version, epoch: r.epoch });
      } catch (e) {
        wants.delete(menuId);
        if (!deadTable(e)) { fail(e); }
      }
    }
  } finally {
    inflight.delete(menuId);
    render();
  }
}

async function toggleDone(btn: HTMLButtonElement): Promise<void> {
  const me = app.state?.members.find((m) => m.id === app.me?.memberId);
  if (!me) { return; }
  const r = await busy(btn, () => call<MemberResponse>('PATCH',
    '/v1/rooms/' + app.roomId + '/members/me', { done: !me.done }, { token: app.me!.token }), deadTable);
  if (r) { onEvent('done', { memberId: r.memberId, done: !!r.done, version: r.version, epoch: r.epoch }); }
}

// ---- the screen ------------------------------------------------------------------

let builtFor: { menu: MenuItem[]; lang: string } | null = null;

function showTable(): void {
  builtFor = null;
  const options = h('button', { id: 'options-btn', class: 'btn icon-btn', type: 'button', attrs: { 'aria-label': t('table.options') }, on: { click: openOptions } }, icon('more'));
  const done = h('button', { id: 'done-btn', class: 'btn btn-secondary btn-block', type: 'button', attrs: { 'aria-pressed': 'false' } });
  done.addEventListener('click', () => void toggleDone(done));
  show('table', '', [
    h('div', { class: 'table-head' },
      h('h1', { id: 'table-name', dir: 'auto' }),
      h('p', { id: 'table-sub', class: 'muted' })),
    h('div', { id: 'banners' }),
    h('section', { class: 'people-wrap', attrs: { 'aria-labelledby': 'people-h' } },
      h('h2', { id: 'people-h', class: 'visually-hidden', text: t('people.title') }),
      h('ul', { id: 'people', class: 'people' }),
      h('p', { id: 'legend', class: 'legend' })),
    h('section', { attrs: { 'aria-labelledby': 'dishes-h' } },
      h('h2', { id: 'dishes-h', class: 'section-title', text: t('table.menu') }),
      h('ul', { id: 'dishes', class: 'dishes' })),
    h('section', { class: 'done-wrap', attrs: { 'aria-labelledby': 'done-h' } },
      h('h2', { id: 'done-h', class: 'visually-hidden', text: t('done.title') }),
      h('p', { id: 'done-count', class: 'muted' }), done),
  ], [h('span', { id: 'status-slot' }), options]);
  must('#status-slot').replaceWith(statusPill());
  const bar = h('nav', { id: 'bar', class: 'bottom-bar', attrs: { 'aria-label': t('bar.label') } },
    h('button', { id: 'bar-summary', class: 'bar-summary', type: 'button', on: { click: () => openSummary() } },
      h('span', { class: 'bar-line' }, h('span', { class: 'bar-k', text: t('bar.yours') }), h('strong', { id: 'bar-mine' })),
      h('span', { class: 'bar-line' }, h('span', { class: 'bar-k', text: t('bar.table') }), h('strong', { id: 'bar-total' })),
      h('span', { class: 'visually-hidden', text: t('bar.open') })),
    h('button', { id: 'bar-staff', class: 'btn btn-primary', type: 'button', on: { click: () => openStaffCard() } },
      icon('waiter'), h('span', { text: t('bar.staff') })));
  main().after(bar);
  render();
}

function main(): HTMLElement { return must('#main'); }

function statusPill(): HTMLElement {
  const pill = document.getElementById('status') ?? h('span', { id: 'status', class: 'pill' });
  pill.dataset.state = app.link;
  pill.textContent = t(('link.' + app.link) as 'link.live');
  return pill;
}

let frame = 0;
let fallback = 0;

/** render redraws the table (at most once a frame) and the dialogs
 * that watch the state. */
export function render(): void {
  if (frame) { return; }
  // The next frame; a hidden page draws no frames (a phone asleep, a
  // tab the browser thawed in the background), so a timer draws then.
  const draw = () => {
    if (!frame) { return; }
    cancelAnimationFrame(frame);
    clearTimeout(fallback);
    frame = 0;
    if (app.screen === 'table' && app.state) { renderTable(); }
    for (const w of watchers) { w(); }
  };
  frame = requestAnimationFrame(draw);
  fallback = window.setTimeout(draw, 250);
}

function renderTable(): void {
  const st = app.state!;
  const r = st.room;
  setText(must('#table-name'), r.name || t('table.untitled'));
  const host = st.members.find((m) => m.id === r.hostId);
  setText(must('#table-sub'), [host ? t('table.host', { name: host.name }) : '', t('table.people', { n: st.members.length })].filter(Boolean).join(' · '));
  document.title = (r.name || t('table.untitled')) + ' · menusync';
  renderBanners();
  renderPeople();
  renderDishes();
  renderDone();
  renderBar();
}

function renderBanners(): void {
  const st = app.state!;
  const el = must('#banners');
  const want = [st.room.locked ? (isHost() ? 'locked-host' : 'locked') : '', st.allDone ? 'alldone' : ''].filter(Boolean).join(' ');
  if (el.dataset.shown === want) { return; }
  el.dataset.shown = want;
  clear(el);
  if (st.room.locked) {
    el.append(h('p', { class: 'notice notice-info', id: 'locked-banner' }, icon('lock'), h('span', { text: t(isHost() ? 'table.locked.host' : 'table.locked') })));
  }
  if (st.allDone) {
    el.append(h('div', { class: 'notice notice-ok', id: 'alldone-banner' },
      h('span', { text: t('table.alldone') }),
      button(t('bar.staff'), () => openStaffCard(), 'btn btn-primary btn-small')));
  }
}

function renderPeople(): void {
  const st = app.state;
  const ul = document.getElementById('people');
  if (!st || !ul) { return; }
  const stale = app.link !== 'live' && app.link !== 'polling';
  ul.classList.toggle('is-stale', stale);
  const key = JSON.stringify([stale, lang(), st.room.hostId, st.members.map((m) => [m.id, m.name, m.online, m.done])]);
  if (ul.dataset.key === key) { return; }
  ul.dataset.key = key;
  clear(ul);
  for (const m of st.members) {
    const you = m.id === app.me?.memberId;
    const state = stale ? t('people.unknown') : m.online ? t('people.online') : t('people.away');
    ul.append(h('li', { class: 'person' + (you ? ' is-you' : '') + (m.done ? ' is-done' : ''), data: { online: String(m.online && !stale) } },
      h('span', { class: 'presence', attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'person-name', text: you ? t('people.you', { name: m.name }) : m.name, dir: 'auto' }),
      m.id === st.room.hostId ? h('span', { class: 'badge', text: t('people.host') }) : null,
      m.done ? h('span', { class: 'done-mark', attrs: { 'aria-hidden': 'true' } }, icon('check')) : null,
      h('span', { class: 'visually-hidden', text: [state, m.done ? t('people.done') : ''].filter(Boolean).join(', ') })));
  }
  const legend = must('#legend');
  const lkey = String(stale) + lang();
  if (legend.dataset.key !== lkey) {
    legend.dataset.key = lkey;
    clear(legend);
    if (stale) {
      legend.append(t('people.legend.stale'));
    } else {
      legend.append(
        h('span', { class: 'legend-item' }, h('span', { class: 'presence is-on', attrs: { 'aria-hidden': 'true' } }), t('people.online')),
        h('span', { class: 'legend-item' }, h('span', { class: 'presence', attrs: { 'aria-hidden': 'true' } }), t('people.away')),
        h('span', { class: 'legend-item' }, h('span', { class: 'done-mark', attrs: { 'aria-hidden': 'true' } }, icon('check')), t('people.done')));
    }
  }
}

function renderDishes(): void {
  const st = app.state!;
  const ul = must('#dishes');
  const printed = menuLang(st.room.menu);
  if (!builtFor || builtFor.menu !== st.room.menu || builtFor.lang !== lang()) {
    clear(ul);
    for (const it of st.room.menu) { ul.append(buildDish(it, printed)); }
    builtFor = { menu: st.room.menu, lang: lang() };
  }
  const names = new Map([...st.members, ...st.left].map((m) => [m.id, m.name]));
  const byDish = new Map<string, Choice[]>();
  for (const c of Object.values(st.choices)) { byDish.set(c.menuId, [...(byDish.get(c.menuId) ?? []), c]); }
  const locked = st.room.locked;
  for (const it of st.room.menu) {
    const li = ul.querySelector<HTMLElement>(`li[data-menu-id="${CSS.escape(it.id)}"]`);
    if (li) { updateDish(li, it, printed, byDish.get(it.id) ?? [], names, locked); }
  }
}

function buildDish(it: MenuItem, printed: string): HTMLElement {
  const l = lang();
  const shown = shownName(it, l, printed);
  const dishLabel = label(it, l, printed);
  const roman = printed ? printed.split('-')[0] + '-Latn' : undefined;
  const names = h('p', { class: 'dish-names' });
  let printedLine: HTMLElement | null = null;
  if (shown) {
    names.append(h('span', { class: 'dish-tr', lang: shown.lang, text: shown.text, dir: 'auto' }));
    if (shown.suggested || shown.fallback) {
      names.append(h('button', {
        class: 'tag', type: 'button', attrs: { 'aria-label': t('dish.suggested.fix', { name: shown.text }) },
        on: { click: () => nameDish(it, printed) },
      }, h('span', { text: shown.fallback ? t('dish.name.add', { lang: AUTONYMS[l] }) : t('dish.suggested') }), icon('edit')));
    }
    printedLine = h('p', { class: 'dish-printed-line' },
      h('span', { class: 'dish-printed', lang: printed || undefined, text: it.name, dir: 'auto' }),
      it.romanized ? h('span', { class: 'dish-romanized', lang: roman, text: it.romanized }) : null);
  } else {
    names.append(h('span', { class: 'dish-tr', lang: printed || undefined, text: it.name, dir: 'auto' }));
    if (printed && printed.split('-')[0] !== l.split('-')[0]) {
      names.append(button(t('dish.name.add', { lang: AUTONYMS[l] }), () => nameDish(it, printed), 'tag', icon('edit')));
    }
  }
  const minus = h('button', { class: 'step minus', type: 'button', attrs: { 'aria-label': t('dish.less', { name: dishLabel }) }, on: { click: () => setMine(it.id, { quantity: myWant(it.id).quantity - 1 }) } }, icon('minus'));
  const plus = h('button', { class: 'step plus', type: 'button', attrs: { 'aria-label': t('dish.more', { name: dishLabel }) }, on: { click: () => setMine(it.id, { quantity: myWant(it.id).quantity + 1 }) } }, icon('plus'));
  return h('li', { class: 'dish', data: { menuId: it.id } },
    h('div', { class: 'dish-text' },
      names,
      printedLine ?? (it.romanized ? h('p', { class: 'dish-romanized', lang: roman, text: it.romanized }) : null),
      it.description ? h('p', { class: 'dish-desc', text: it.description, dir: 'auto' }) : null,
      h('p', { class: 'dish-price' }),
      h('p', { class: 'who' })),
    h('div', { class: 'stepper', attrs: { role: 'group', 'aria-label': dishLabel } },
      minus, h('span', { class: 'qty' }), plus),
    h('div', { class: 'dish-mine', hidden: true },
      h('button', { class: 'chip note-btn', type: 'button', on: { click: () => editNote(it, dishLabel) } }, icon('note'), h('span', { class: 'note-text' })),
      h('label', { class: 'switch' },
        h('input', { class: 'shared-toggle', type: 'checkbox', attrs: { role: 'switch', name: 'shared-' + it.id }, on: { change: (e) => setMine(it.id, { shared: (e.target as HTMLInputElement).checked }) } }),
        h('span', { class: 'switch-track', attrs: { 'aria-hidden': 'true' } }),
        h('span', { text: t('dish.shared') }))));
}

function updateDish(li: HTMLElement, it: MenuItem, printed: string, picks: Choice[], names: Map<string, string>, locked: boolean): void {
  const st = app.state!;
  const w = myWant(it.id);
  const closed = st.room.closed;
  li.classList.toggle('is-picked', w.quantity > 0);
  setText(must('.qty', li), String(w.quantity));
  must<HTMLButtonElement>('.minus', li).disabled = w.quantity === 0 || locked || closed;
  must<HTMLButtonElement>('.plus', li).disabled = w.quantity >= 99 || locked || closed;
  setText(must('.dish-price', li), it.priceMinor !== undefined ? formatMoney(it.priceMinor, st.room.currency, st.room.currencyDigits, lang()) : '');
  const others = picks.filter((c) => c.memberId !== app.me?.memberId)
    .map((c) => (names.get(c.memberId) ?? '?') + ' ×' + c.quantity + (c.shared ? ' (' + t('dish.shared.short') + ')' : '') + (c.note ? ' — ' + c.note : ''));
  setText(must('.who', li), others.join(' · '));
  const extra = must('.dish-mine', li);
  extra.hidden = w.quantity === 0;
  setText(must('.note-text', li), w.note ? t('dish.note.shown', { note: w.note }) : t('dish.note.add'));
  must('.note-btn', li).toggleAttribute('disabled', locked || closed);
  const sw = must<HTMLInputElement>('.shared-toggle', li);
  sw.checked = w.shared;
  sw.disabled = locked || closed;
  void printed;
}

function renderDone(): void {
  const st = app.state!;
  const me = st.members.find((m) => m.id === app.me?.memberId);
  const done = st.members.filter((m) => m.done).length;
  setText(must('#done-count'), st.allDone ? t('done.all') : t('done.count', { n: done, total: st.members.length }));
  const btn = must<HTMLButtonElement>('#done-btn');
  btn.setAttribute('aria-pressed', String(!!me?.done));
  btn.classList.toggle('is-on', !!me?.done);
  setText(btn, me?.done ? t('done.undo') : t('done.button'));
}

function renderBar(): void {
  const st = app.state!;
  const s = st.summary;
  const me = s.members.find((m) => m.memberId === app.me?.memberId);
  const priced = s.totalMinor !== undefined;
  const money = (v: number | undefined) => formatMoney(v ?? 0, st.room.currency, st.room.currencyDigits, lang());
  setText(must('#bar-mine'), priced ? money(me?.totalMinor) : t('bar.dishes', { n: me?.quantity ?? 0 }));
  setText(must('#bar-total'), priced ? money(s.totalMinor) : t('bar.dishes', { n: s.quantity }));
}

// ---- dialogs of the table -----------------------------------------------------

function editNote(it: MenuItem, dishLabel: string): void {
  const w = myWant(it.id);
  const f = field({ id: 'note-input', label: t('dish.note.label'), value: w.note, maxlength: 140, hint: t('dish.note.hint') });
  const d = dialog({
    title: dishLabel, body: [f.wrap],
    actions: [
      w.note ? button(t('dish.note.remove'), () => { setMine(it.id, { note: '' }); d.close(); }, 'btn btn-ghost') : null,
      withId(button(t('action.save'), () => { setMine(it.id, { note: f.input.value.trim() }); d.close(); }, 'btn btn-primary'), 'note-save'),
    ],
  });
  f.input.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') { setMine(it.id, { note: f.input.value.trim() }); d.close(); } });
}

function nameDish(it: MenuItem, printed: string): void {
  const l = lang();
  const current = it.names?.[l] ?? it.suggestedNames?.[l] ?? '';
  const f = field({ id: 'dish-name-input', label: t('dish.name.label', { lang: AUTONYMS[l] }), value: current, maxlength: 100 });
  f.input.lang = l;
  const save = button(t('action.save'), () => void (async () => {
    const name = f.input.value.trim();
    if (!name) { f.input.focus(); return; }
    const r = await busy(save, () => call<DishNameResponse>('PUT',
      '/v1/rooms/' + app.roomId + '/menu/' + encodeURIComponent(it.id) + '/names/' + encodeURIComponent(l), { name }, { token: app.me!.token }),
    (e) => deadTable(e, () => d.close()));
    if (!r) { return; }
    builtFor = null;
    onEvent('dishname', r);
    d.close();
  })(), 'btn btn-primary');
  save.id = 'dish-name-save';
  const d = dialog({
    title: t('dish.name.title'), id: 'dish-name-dialog',
    body: [
      h('p', { class: 'say-printed', lang: printed || undefined, text: it.name, dir: 'auto' }),
      it.romanized ? h('p', { class: 'say-roman', text: it.romanized }) : null,
      it.suggestedNames?.[l] ? h('p', { class: 'muted', text: t('dish.name.suggested', { name: it.suggestedNames[l] }) }) : null,
      f.wrap,
    ],
    actions: [save],
  });
}

function openOptions(): void {
  const st = app.state;
  const d = dialog({
    title: t('options.title'), class: 'sheet-menu', id: 'options-dialog',
    body: [
      h('div', { class: 'menu-list' },
        withId(button(t('options.invite'), () => { d.close(); showShare(st?.room.name ?? '', shareLink(app.roomId!), false); }, 'menu-item', icon('share')), 'opt-invite'),
        withId(button(t('options.summary'), () => { d.close(); openSummary(); }, 'menu-item', icon('receipt')), 'opt-summary'),
        withId(button(t('options.staff'), () => { d.close(); openStaffCard(); }, 'menu-item', icon('waiter')), 'opt-staff'),
        isHost() ? withId(button(t('options.host'), () => { d.close(); openHost(); }, 'menu-item', icon('lock')), 'opt-host') : null,
        withId(button(t('options.rename'), () => { d.close(); rename(); }, 'menu-item', icon('edit')), 'opt-rename'),
        withId(button(t('options.leave'), () => { d.close(); leave(); }, 'menu-item menu-danger', icon('close')), 'opt-leave')),
      h('div', { class: 'field' }, h('p', { class: 'label', text: t('lang.label') }), langSelect()),
      debugView(),
    ],
  });
}

/** debugView: what this phone is connected to, for whoever helps. */
function debugView(): HTMLElement {
  const st = app.state;
  return h('details', { class: 'debug' },
    h('summary', { text: t('options.debug') }),
    h('dl', null,
      h('dt', { text: t('debug.replica') }), h('dd', { id: 'debug-replica', text: net.replica || '—' }),
      h('dt', { text: t('debug.transport') }), h('dd', { text: app.follower?.transport ?? '—' }),
      h('dt', { text: t('debug.link') }), h('dd', { text: app.link }),
      h('dt', { text: t('debug.position') }), h('dd', { text: st ? st.epoch + '.' + st.version : '—' }),
      h('dt', { text: t('debug.heartbeat') }), h('dd', { text: net.heartbeatMs / 1000 + ' s' }),
      h('dt', { text: t('debug.room') }), h('dd', { text: app.roomId ?? '—' })));
}

function rename(): void {
  const f = field({ id: 'rename-input', label: t('rename.label'), value: app.me?.name ?? '', maxlength: 64, autocomplete: 'nickname' });
  const save = button(t('action.save'), () => void (async () => {
    const name = f.input.value.trim();
    if (!name) { f.input.focus(); return; }
    const r = await busy(save, () => call<MemberResponse>('PATCH',
      '/v1/rooms/' + app.roomId + '/members/me', { name }, { token: app.me!.token }));
    if (!r) { return; }
    app.me!.name = r.name ?? name;
    saveMe(app.roomId!, app.me!);
    onEvent('renamed', { memberId: r.memberId, name: app.me!.name, version: r.version, epoch: r.epoch });
    d.close();
  })(), 'btn btn-primary');
  const d = dialog({ title: t('rename.title'), body: [f.wrap], actions: [save] });
}

function leave(): void {
  const go = (keep: boolean) => async () => {
    try {
      await call('DELETE', '/v1/rooms/' + app.roomId + '/members/me?choices=' + (keep ? 'keep' : 'remove'), undefined, { token: app.me!.token });
      d.close();
      showDead({ status: 403, code: 'left' });
    } catch (e) {
      if (!deadTable(e, () => d.close())) { fail(e); }
    }
  };
  const d = dialog({
    title: t('leave.title'),
    body: [h('p', { text: t('leave.body') })],
    actions: [
      button(t('leave.keep'), () => void go(true)(), 'btn btn-secondary'),
      button(t('leave.remove'), () => void go(false)(), 'btn btn-danger'),
    ],
  });
}
