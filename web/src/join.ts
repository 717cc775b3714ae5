// Joining from a share link: the table's name, who is there and its menu
// (GET /v1/rooms/{id}/preview, for whoever holds the link), then a name,
// and in. A table that is gone or closed says so at once, before anyone
// types a name.
import { h, must, icon } from './dom';
import { t, lang } from './i18n';
import { call, ApiError } from './api';
import { app, saveMe } from './app';
import { show, field, button, fail, langSelect, busy } from './ui';
import type { JoinResponse, RoomPreview } from './types';
import { enterRoom } from './table';
import { showDead } from './closed';
import { menuLang, shownName } from './names';
import { formatMoney } from './money';

/** The preview of the table this phone looks at (kept for redraws: a
 * new language changes the words, not the table). */
let preview: { roomId: string; p: RoomPreview | null } | null = null;

export function showJoin(): void {
  const roomId = app.roomId!;
  if (preview?.roomId === roomId) {
    draw(preview.p);
    return;
  }
  // Draw once the preview is here (or failed), so nothing moves under
  // the reader's thumb; it is one small read.
  void call<RoomPreview>('GET', '/v1/rooms/' + roomId + '/preview', undefined, { timeoutMs: 5000 })
    .then((p) => ({ roomId, p }), (e: unknown) => {
      if (e instanceof ApiError && e.status === 404) { return 'gone' as const; }
      return { roomId, p: null };
    })
    .then((r) => {
      if (app.roomId !== roomId || app.me) { return; } // moved on meanwhile
      if (r === 'gone') {
        showDead({ status: 404, code: 'room_not_found' });
        return;
      }
      if (r.p?.closed) {
        showDead({ status: 409, code: 'room_closed' });
        return;
      }
      preview = r;
      draw(r.p);
    });
}

function draw(p: RoomPreview | null): void {
  const name = field({ id: 'name', label: t('join.name'), maxlength: 64, autocomplete: 'nickname', required: true, hint: t('join.name.hint') });
  const join = button(t('join.button'), () => void doJoin(join, name.input.value.trim()), 'btn btn-primary btn-block');
  join.id = 'join-btn';
  name.input.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') { join.click(); } });
  show('join', '', [
    h('section', { class: 'hero' },
      p ? h('p', { class: 'eyebrow', id: 'join-table', dir: 'auto', text: p.name || t('table.untitled') }) : null,
      h('h1', { text: t('join.title') }),
      h('p', { class: 'lede', text: t('join.lede') })),
    p && p.members.length ? people(p) : null,
    p?.locked ? h('p', { class: 'notice notice-info' }, icon('lock'), h('span', { text: t('table.locked') })) : null,
    h('div', { class: 'card' }, name.wrap, join),
    p ? menu(p) : h('ol', { class: 'steps' },
      h('li', { text: t('join.step1') }), h('li', { text: t('join.step2') }), h('li', { text: t('join.step3') })),
  ], [langSelect()]);
}

function people(p: RoomPreview): HTMLElement {
  return h('section', { class: 'join-people', attrs: { 'aria-labelledby': 'join-people-h' } },
    h('h2', { id: 'join-people-h', class: 'section-title', text: t('people.title') + ' · ' + t('table.people', { n: p.members.length }) }),
    h('ul', { class: 'people', id: 'join-people' },
      ...p.members.map((m) => h('li', { class: 'person' },
        h('span', { class: 'person-name', text: m.name, dir: 'auto' }),
        m.done ? h('span', { class: 'done-mark', attrs: { 'aria-hidden': 'true' } }, icon('check')) : null,
        m.done ? h('span', { class: 'visually-hidden', text: t('people.done') }) : null))));
}

/** menu: the dishes in the reader's language with the printed name
 * beside, and their prices, to read before joining. */
function menu(p: RoomPreview): HTMLElement {
  const printed = menuLang(p.menu);
  const l = lang();
  return h('section', { class: 'join-menu', attrs: { 'aria-labelledby': 'join-menu-h' } },
    h('h2', { id: 'join-menu-h', class: 'section-title', text: t('table.menu') }),
    h('ul', { class: 'join-dishes', id: 'join-dishes' },
      ...p.menu.map((it) => {
        const shown = shownName(it, l, printed);
        return h('li', { class: 'menu-row' },
          h('span', { class: 'menu-row-names' },
            h('span', { class: 'menu-row-name', lang: shown ? shown.lang : printed || undefined, dir: 'auto', text: shown ? shown.text : it.name }),
            shown ? h('span', { class: 'menu-row-printed', lang: printed || undefined, dir: 'auto', text: it.name }) : null),
          it.priceMinor !== undefined
            ? h('span', { class: 'menu-row-price', text: formatMoney(it.priceMinor, p.currency, p.currencyDigits, l) })
            : null);
      })));
}

async function doJoin(btn: HTMLButtonElement, name: string): Promise<void> {
  if (!name) {
    fail(null, 'join.name.missing');
    must('#name').focus();
    return;
  }
  const j = await busy(btn, () => call<JoinResponse>('POST', '/v1/rooms/' + app.roomId + '/members', { name }), (e) => {
    if (!(e instanceof ApiError && (e.status === 404 || e.code === 'room_closed'))) { return false; }
    showDead({ status: 404, code: e.code });
    return true;
  });
  if (!j) { return; }
  app.me = { memberId: j.member.id, name: j.member.name, token: j.token };
  saveMe(app.roomId!, app.me);
  preview = null;
  enterRoom();
}
