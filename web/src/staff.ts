// The staff card: the whole table's order for the waiter, full screen,
// in large type, in the language the menu is printed in (its words from
// the catalogue in that language), with a "point and say" view of each
// dish's printed name and how to say it. It keeps the screen awake.
import { h, clear, icon } from './dom';
import { t, type Lang } from './i18n';
import { call } from './api';
import { app } from './app';
import { dialog, fail, button } from './ui';
import { copyButton } from './share';
import { menuLang, staffLang } from './names';
import { watchers } from './table';
import { deadTable } from './closed';
import type { StaffOrder } from './types';

let wake: WakeLockSentinel | null = null;

async function keepAwake(): Promise<void> {
  try {
    if ('wakeLock' in navigator && document.visibilityState === 'visible') {
      wake = await navigator.wakeLock.request('screen');
    }
  } catch { /* not allowed (battery saver): the card works anyway */ }
}

function relock(): void {
  if (document.visibilityState === 'visible' && document.getElementById('staff-card')) { void keepAwake(); }
}

export function openStaffCard(): void {
  if (!app.state) { return; }
  const menu = app.state.room.menu;
  const sl = staffLang(menu);
  const printed = menuLang(menu) || undefined;
  const box = h('div', { id: 'staff-order', lang: sl });
  let say = false;
  let order: StaffOrder | null = null;
  const draw = () => { if (order) { drawOrder(box, order, sl, printed, say); } };
  const load = async () => {
    try {
      order = await call<StaffOrder>('GET', '/v1/rooms/' + app.roomId + '/order', undefined, { token: app.me!.token });
      draw();
    } catch (e) {
      if (!deadTable(e, () => d.close())) { fail(e); }
    }
  };
  let seen = app.state.version;
  const onChange = () => {
    if (app.state && app.state.version !== seen) {
      seen = app.state.version;
      void load();
    }
  };
  const sayBtn = h('button', { class: 'btn btn-secondary', type: 'button', id: 'say-btn', attrs: { 'aria-pressed': 'false' } }, icon('speak'), h('span', { text: t('staff.say') }));
  sayBtn.addEventListener('click', () => {
    say = !say;
    sayBtn.setAttribute('aria-pressed', String(say));
    draw();
  });
  const d = dialog({
    title: t('staff.title', undefined, sl), titleLang: sl, id: 'staff-card', class: 'sheet-full staff',
    body: [
      h('p', { class: 'staff-hint', text: t('staff.hint') }),
      box,
    ],
    actions: [
      sayBtn,
      copyButton(t('staff.copy'), () => call<string>('GET', '/v1/rooms/' + app.roomId + '/order', undefined, { token: app.me!.token, accept: 'text/plain', text: true }), 'copy-order'),
    ],
    onClose: () => {
      watchers.delete(onChange);
      document.removeEventListener('visibilitychange', relock);
      void wake?.release().catch(() => undefined);
      wake = null;
    },
  });
  watchers.add(onChange);
  document.addEventListener('visibilitychange', relock);
  void keepAwake();
  void load();
}

function drawOrder(box: HTMLElement, o: StaffOrder, sl: Lang, printed: string | undefined, say: boolean): void {
  clear(box);
  const menu = new Map(app.state!.room.menu.map((it) => [it.id, it]));
  box.append(h('p', { class: 'staff-table', dir: 'auto' },
    h('span', { text: o.roomName || t('staff.order', undefined, sl) }),
    h('span', { class: 'staff-count', text: t('staff.count', { n: o.quantity }, sl) })));
  if (o.locked) { box.append(h('p', { class: 'staff-final', text: t('staff.final', undefined, sl) })); }
  if (!o.lines.length) {
    box.append(h('p', { class: 'staff-empty', text: t('staff.empty', undefined, sl) }));
    return;
  }
  const list = h('ol', { class: say ? 'staff-lines say' : 'staff-lines' });
  for (const l of o.lines) {
    const it = menu.get(l.menuId);
    const roman = l.romanized ?? it?.romanized;
    list.append(h('li', { class: 'staff-line', data: { menuId: l.menuId } },
      h('span', { class: 'staff-qty', text: String(l.quantity) }),
      h('span', { class: 'staff-dish' },
        h('span', { class: 'staff-name', lang: printed, text: l.name, dir: 'auto' }),
        say && roman ? h('span', { class: 'staff-roman', lang: printed ? printed.split('-')[0] + '-Latn' : undefined, text: roman }) : null,
        l.sharedQuantity ? h('span', { class: 'staff-shared', text: t('staff.shared', { n: l.sharedQuantity }, sl) }) : null,
        ...l.notes.map((n) => h('span', { class: 'staff-note', dir: 'auto', text: t('staff.note', { n: n.quantity, note: n.note }, sl) })))));
  }
  box.append(list);
  void button;
}
