// Inviting the table: the QR code (drawn by the server for the public
// address), the link, the system share sheet where there is one, and a
// copy button that says it copied, over plain HTTP too.
import { h, icon } from './dom';
import { t } from './i18n';
import { app } from './app';
import { show, announce, button } from './ui';
import { enterRoom } from './table';

/** copyText copies text: the Clipboard API where the page may use it
 * (HTTPS, localhost), else a selected field and execCommand, which
 * works on a plain-HTTP LAN address too. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* not allowed here: the old way below */ }
  const ta = h('textarea', { class: 'offscreen', attrs: { readonly: true, 'aria-hidden': 'true', tabindex: '-1' } });
  ta.value = text;
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}

/** copyButton copies on click and shows that it did (or what to do). */
export function copyButton(label: string, text: () => string | Promise<string>, id?: string): HTMLButtonElement {
  const span = h('span', { text: label });
  const btn = h('button', { class: 'btn btn-secondary', type: 'button', id }, icon('copy'), span);
  btn.addEventListener('click', async () => {
    const ok = await copyText(await text());
    span.textContent = ok ? t('share.copied') : t('share.copy.failed');
    btn.classList.toggle('is-done', ok);
    announce(span.textContent);
    window.setTimeout(() => {
      span.textContent = label;
      btn.classList.remove('is-done');
    }, 2500);
  });
  return btn;
}

/** showShare is the host's screen right after opening the table (and
 * anyone's, from the table's options). */
export function showShare(tableName: string, link: string, first: boolean): void {
  const roomId = app.roomId!;
  const canShare = typeof navigator.share === 'function';
  const toTable = button(first ? t('share.go') : t('share.back'), () => enterRoom(), 'btn btn-primary btn-block');
  toTable.id = 'to-table';
  show('share', tableName || t('table.untitled'), [
    h('h1', { text: t('share.title') }),
    h('p', { class: 'lede', text: t('share.lede') }),
    h('figure', { class: 'qr-card' },
      h('img', { id: 'qr', attrs: { src: '/v1/rooms/' + roomId + '/qr.svg', alt: t('share.qr.alt'), width: 240, height: 240 } }),
      h('figcaption', { class: 'share-link', id: 'share-link', text: link, dir: 'ltr' })),
    h('div', { class: 'share-actions' },
      canShare ? h('button', {
        class: 'btn btn-secondary', type: 'button', id: 'share-btn',
        on: { click: () => void navigator.share({ title: tableName || 'menusync', text: t('share.text'), url: link }).catch(() => undefined) },
      }, icon('share'), h('span', { text: t('share.share') })) : null,
      copyButton(t('share.copy'), () => link, 'copy-btn')),
    h('div', { class: 'footer-actions' }, toTable),
  ]);
}
