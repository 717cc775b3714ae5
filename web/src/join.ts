// Joining from a share link: a name, and in. (The table's name, menu and
// who is there cannot be shown before joining: the API has no preview
// of a room for someone who is not a member yet.)
import { h, must } from './dom';
import { t } from './i18n';
import { call, ApiError } from './api';
import { app, saveMe } from './app';
import { show, field, button, fail, langSelect, hideToast } from './ui';
import type { JoinResponse } from './types';
import { enterRoom } from './table';
import { showDead } from './closed';

export function showJoin(): void {
  const name = field({ id: 'name', label: t('join.name'), maxlength: 64, autocomplete: 'nickname', required: true, hint: t('join.name.hint') });
  const join = button(t('join.button'), () => void doJoin(join, name.input.value.trim()), 'btn btn-primary btn-block');
  join.id = 'join-btn';
  name.input.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') { join.click(); } });
  show('join', '', [
    h('section', { class: 'hero' },
      h('h1', { text: t('join.title') }),
      h('p', { class: 'lede', text: t('join.lede') })),
    h('ol', { class: 'steps' },
      h('li', { text: t('join.step1') }), h('li', { text: t('join.step2') }), h('li', { text: t('join.step3') })),
    h('div', { class: 'card' }, name.wrap, join),
  ], [langSelect()]);
}

async function doJoin(btn: HTMLButtonElement, name: string): Promise<void> {
  if (!name) {
    fail(null, 'join.name.missing');
    must('#name').focus();
    return;
  }
  btn.disabled = true;
  try {
    const j = await call<JoinResponse>('POST', '/v1/rooms/' + app.roomId + '/members', { name });
    hideToast();
    app.me = { memberId: j.member.id, name: j.member.name, token: j.token };
    saveMe(app.roomId!, app.me);
    enterRoom();
  } catch (e) {
    btn.disabled = false;
    if (e instanceof ApiError && (e.status === 404 || e.code === 'room_closed')) {
      showDead({ status: 404, code: e.code });
      return;
    }
    fail(e);
  }
}
