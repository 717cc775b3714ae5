// When the table is over for this phone: the host closed it (with their
// words and the final order), it expired, the server no longer knows
// this phone's pass (401: a restart of a server without Redis), the room
// is gone (404), or this member left or was taken out (403). Each says
// so plainly and offers the next step; the stale pass is forgotten.
import { h, icon } from './dom';
import { t, type Key } from './i18n';
import { app, forgetMe } from './app';
import { gone } from './api';
import { show, button, langSelect } from './ui';
import { stopFollowing } from './table';
import { openSummary } from './bill';
import { showJoin } from './join';

/** showClosed: the host closed the table (or it expired while open). */
export function showClosed(): void {
  stopFollowing();
  if (app.roomId) { forgetMe(app.roomId); }
  const st = app.state;
  const words = st?.closedMessage;
  const byHost = st?.room.closed;
  screen('closed.title', byHost ? 'closed.host' : 'closed.expired', words, !!st && st.summary.quantity > 0, false);
}

/** showDead: this phone's place at the table is gone. */
/**
 * deadTable shows the closed screen when e says this table is gone for
 * this phone (gone), after before (closing the sheet it came from), and
 * says whether it did: busy's onError, and every request's catch.
 */
export function deadTable(e: unknown, before?: () => void): boolean {
  if (!gone(e)) { return false; }
  before?.();
  showDead(e);
  return true;
}

export function showDead(e: { status?: number; code?: string }): void {
  stopFollowing();
  if (app.roomId) { forgetMe(app.roomId); }
  let title: Key = 'dead.gone.title';
  let body: Key = 'dead.gone';
  let rejoin = false;
  if (e.code === 'room_closed') {
    title = 'closed.title'; body = 'closed.expired';
  } else if (e.code === 'left') {
    title = 'dead.left.title'; body = 'dead.left';
  } else if (e.code === 'removed' || e.code === 'member_not_found') {
    title = 'dead.removed.title'; body = 'dead.removed';
  } else if (e.status === 401 || e.status === 403) {
    title = 'dead.expired.title'; body = 'dead.expired'; rejoin = true;
  }
  app.state = null;
  app.me = null;
  screen(title, body, undefined, false, rejoin);
}

function screen(title: Key, body: Key, words: string | undefined, final: boolean, rejoin: boolean): void {
  const start = button(t('closed.start'), () => { location.href = '/'; }, 'btn btn-primary btn-block', icon('plus'));
  start.id = 'start-new';
  show('closed', '', [
    h('section', { class: 'closed', id: 'closed' },
      h('div', { class: 'closed-mark', attrs: { 'aria-hidden': 'true' } }, icon('receipt')),
      h('h1', { text: t(title) }),
      h('p', { class: 'lede', text: t(body) }),
      words ? h('blockquote', { class: 'host-words', id: 'host-words', dir: 'auto' }, h('p', { text: words })) : null,
      h('div', { class: 'footer-actions stack' },
        final ? button(t('closed.final'), () => openSummary(), 'btn btn-secondary btn-block', icon('receipt')) : null,
        rejoin ? button(t('dead.rejoin'), () => showJoin(), 'btn btn-secondary btn-block') : null,
        start)),
  ], [langSelect()]);
}
