// Opening a table, host first: the menu in (a photo, pasted text or a
// file) → the draft to check and correct → your name → the room, with
// its share screen.
import { h, icon, must, append } from './dom';
import { t, has, lang, AUTONYMS } from './i18n';
import { menuLang } from './names';
import { call, ApiError } from './api';
import { app, saveMe, shareLink } from './app';
import { show, langSelect, field, button, fail, busy, priceField } from './ui';
import { CURRENCIES, currencyName, typedPrice } from './money';
import type { Draft, DraftItem, MenuItemInput, NewRoom } from './types';
import { showShare } from './share';

export function showStart(): void {
  const scan = !!app.config?.capabilities.scan;
  const text = field({
    id: 'menu-text', label: t('start.paste.label'), multiline: true, rows: 6,
    placeholder: t('start.paste.placeholder'), hint: t('start.paste.hint'),
  });
  const readBtn = button(t('start.paste.read'), () => void readText(readBtn, text.input.value), 'btn btn-secondary btn-block');
  readBtn.id = 'read-btn';
  show('start', '', [
    h('section', { class: 'hero' },
      h('h1', { text: t('start.title') }),
      h('p', { class: 'lede', text: t('start.lede') })),
    scan ? h('section', { class: 'card card-photo', attrs: { 'aria-labelledby': 'photo-h' } },
      h('h2', { id: 'photo-h', class: 'card-title', text: t('start.photo.title') }),
      h('p', { class: 'muted', text: t('start.photo.hint') }),
      h('input', {
        id: 'photo', class: 'visually-hidden', type: 'file',
        attrs: { accept: 'image/*', capture: 'environment', name: 'photo' },
        on: { change: (e) => void scanPhoto(e.target as HTMLInputElement) },
      }),
      h('label', { class: 'btn btn-primary btn-block', attrs: { for: 'photo' } }, icon('camera'), h('span', { text: t('start.photo.button') }))) : null,
    h('section', { class: 'card', attrs: { 'aria-labelledby': 'paste-h' } },
      h('h2', { id: 'paste-h', class: 'card-title', text: t('start.paste.title') }),
      text.wrap, readBtn),
    h('section', { class: 'card', attrs: { 'aria-labelledby': 'file-h' } },
      h('h2', { id: 'file-h', class: 'card-title', text: t('start.file.title') }),
      h('p', { class: 'muted', text: t('start.file.hint') }),
      h('input', {
        id: 'menu-file', class: 'visually-hidden', type: 'file',
        attrs: { accept: '.csv,.json,.txt,text/csv,application/json,text/plain', name: 'menu-file' },
        on: { change: (e) => void readFile(e.target as HTMLInputElement) },
      }),
      h('label', { class: 'btn btn-secondary btn-block', attrs: { for: 'menu-file' } }, icon('file'), h('span', { text: t('start.file.button') }))),
    h('div', { id: 'reading', class: 'reading', hidden: true, attrs: { role: 'status' } },
      h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), h('span', { text: t('start.reading') })),
  ], [langSelect()]);
}

function reading(on: boolean): void {
  must('#reading').hidden = !on;
  for (const el of document.querySelectorAll<HTMLInputElement | HTMLButtonElement>('#main input, #main button, #main textarea')) {
    el.disabled = on;
  }
}

async function readText(btn: HTMLButtonElement, text: string): Promise<void> {
  if (!text.trim()) {
    fail(null, 'start.paste.empty');
    must('#menu-text').focus();
    return;
  }
  const d = await busy(btn, () => call<Draft>('POST', '/v1/menus/parse', { text }));
  if (d) { gotDraft(d); }
}

async function readFile(input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  input.value = '';
  if (!file) { return; }
  reading(true);
  try {
    const text = await file.text();
    gotDraft(await call<Draft>('POST', '/v1/menus/parse', { text }));
  } catch (e) {
    fail(e, 'start.file.unreadable');
  } finally {
    if (app.screen === 'start') { reading(false); }
  }
}

async function scanPhoto(input: HTMLInputElement): Promise<void> {
  const file = input.files?.[0];
  input.value = '';
  if (!file) { return; }
  reading(true);
  try {
    const photo = await fitPhoto(file);
    gotDraft(await call<Draft>('POST', '/v1/menus/scan', undefined, { raw: photo, timeoutMs: 90000 }));
  } catch (e) {
    fail(e, 'error.bad_image');
  } finally {
    if (app.screen === 'start') { reading(false); }
  }
}

// fitPhoto sends a JPEG, PNG or WebP within the server's limit as it is;
// anything else (HEIC from an iPhone, a huge photo) is drawn once into a
// canvas and sent as a JPEG of at most 3000 pixels a side.
async function fitPhoto(file: File): Promise<Blob> {
  const max = app.config?.capabilities.scanMaxBytes ?? 8 << 20;
  if (/^image\/(jpeg|png|webp)$/.test(file.type) && file.size <= max) { return file; }
  const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, 3000 / Math.max(bmp.width, bmp.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bmp.width * scale);
  canvas.height = Math.round(bmp.height * scale);
  canvas.getContext('2d')?.drawImage(bmp, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, no) => canvas.toBlob((b) => (b ? ok(b) : no(new ApiError(415, 'unsupported_image'))), 'image/jpeg', 0.9));
}

function gotDraft(d: Draft): void {
  if (!d.items.length) {
    fail(null, 'start.nothing');
    return;
  }
  app.draft = d;
  history.pushState({ screen: 'preview' }, '', '/');
  showPreview();
}

// ---- the preview ---------------------------------------------------------

interface Row {
  item: DraftItem;
  name: HTMLInputElement;
  price: HTMLInputElement;
  setCurrency: (c: string | undefined) => void;
  tr: HTMLInputElement | null;
  li: HTMLElement;
}

let rows: Row[] = [];

export function showPreview(): void {
  const d = app.draft;
  if (!d) { showStart(); return; }
  const byLine = new Map<number, Draft['warnings']>();
  for (const w of d.warnings) { byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]); }
  const lines = new Set(d.items.map((it) => it.line));
  const loose = d.warnings.filter((w) => !lines.has(w.line));
  const printed = menuLang(d.items);
  const list = h('ol', { class: 'draft-list', id: 'draft-items' });
  rows = [];
  d.items.forEach((it) => addRow(list, it, it.line ? byLine.get(it.line) ?? [] : [], printed));
  const next = button(t('preview.next'), () => goName(), 'btn btn-primary btn-block');
  next.id = 'preview-next';
  show('preview', '', [
    h('h1', { text: t('preview.title') }),
    h('p', { class: 'lede', text: t('preview.lede', { n: d.items.length }) }),
    loose.length ? h('section', { class: 'notice notice-warn', attrs: { 'aria-labelledby': 'loose-h' } },
      h('h2', { id: 'loose-h', class: 'notice-title', text: t('preview.check', { n: loose.length }) }),
      h('ul', null, ...loose.map((w) => warnItem(w)))) : null,
    currencyField(d),
    list,
    button(t('preview.add'), () => addRow(list, { id: '', name: '', line: 0 }, [], printed, true), 'btn btn-ghost btn-block', icon('plus')),
    h('div', { class: 'footer-actions' }, next),
  ], [], () => history.back());
}

function warnItem(w: Draft['warnings'][number]): HTMLElement {
  const key = 'warn.' + w.code;
  const known = has(key);
  return h('li', { class: 'warn' },
    w.line > 0 ? h('span', { class: 'warn-line', text: t('preview.line', { n: w.line }) }) : null,
    h('span', { text: known ? t(key) : w.message, dir: 'auto' }),
    // The line as printed (quoted in the server's English words), not
    // the English sentence again.
    known && quoted(w.message) ? h('span', { class: 'warn-detail', text: '“' + quoted(w.message) + '”', dir: 'auto' }) : null);
}

function quoted(message: string): string {
  return /“([^”]+)”/.exec(message)?.[1] ?? '';
}

function currencyField(d: Draft): HTMLElement {
  const codes = [...new Set([...(d.currency ? [d.currency] : []), ...CURRENCIES])];
  const sel = h('select', { id: 'currency', class: 'input', attrs: { name: 'currency' } },
    h('option', { text: t('preview.currency.none'), attrs: { value: '', selected: !d.currency } }),
    ...codes.map((c) => h('option', { text: c + ' · ' + currencyName(c, lang()), attrs: { value: c, selected: c === d.currency } })));
  sel.addEventListener('change', () => {
    d.currency = sel.value;
    for (const r of rows) { r.setCurrency(d.currency); }
  });
  return h('div', { class: 'field' },
    h('label', { class: 'label', text: t('preview.currency'), attrs: { for: 'currency' } }), sel,
    !d.currency ? h('p', { class: 'hint hint-warn', text: t('preview.currency.pick') }) : null);
}

let rowSeq = 0;

function input(id: string, label: string, value: string, cls: string, extra: Record<string, string | undefined> = {}) {
  const el = h('input', { id, class: 'input ' + cls, type: 'text', attrs: { name: id, autocomplete: 'off', dir: 'auto', ...extra } });
  el.value = value;
  return { el, label: h('label', { class: 'visually-hidden', text: label, attrs: { for: id } }) };
}

function addRow(list: HTMLElement, it: DraftItem, warnings: Draft['warnings'], printed: string, focus = false): void {
  const n = ++rowSeq;
  const pos = rows.length + 1;
  const l = lang();
  const name = input('dn-' + n, t('preview.dish.name', { n: pos }), it.name, 'draft-name', { maxlength: '200' });
  const price = input('dp-' + n, t('preview.dish.price', { n: pos }), it.price ?? '', 'draft-price',
    { inputmode: 'decimal', placeholder: t('preview.dish.noprice') });
  // A name in the reader's language, unless the menu is printed in it.
  const tr = printed && printed.split('-')[0] === l.split('-')[0] ? null
    : input('dt-' + n, t('preview.dish.tr', { lang: AUTONYMS[l] }), it.names?.[l] ?? it.suggestedNames?.[l] ?? '', 'draft-tr',
      { placeholder: t('preview.dish.tr.placeholder', { lang: AUTONYMS[l] }), lang: l, 'aria-label': t('preview.dish.tr', { lang: AUTONYMS[l] }) });
  const li = h('li', { class: 'draft-item' + (warnings.length ? ' has-warn' : ''), data: { line: String(it.line) } });
  const priced = priceField(price.el, app.draft?.currency);
  const row: Row = { item: it, name: name.el, price: price.el, setCurrency: priced.setCurrency, tr: tr?.el ?? null, li };
  const remove = h('button', {
    class: 'btn icon-btn btn-quiet', type: 'button', attrs: { 'aria-label': t('preview.dish.remove', { name: it.name || String(pos) }) },
    on: { click: () => { li.remove(); rows = rows.filter((r) => r !== row); } },
  }, icon('close'));
  append(li,
    h('div', { class: 'draft-main' }, name.label, name.el, price.label, priced.wrap, remove),
    it.romanized ? h('p', { class: 'romanized', lang: printed ? printed.split('-')[0] + '-Latn' : undefined, text: it.romanized }) : null,
    tr ? h('div', { class: 'draft-tr-row' }, h('label', { class: 'label', text: AUTONYMS[l], lang: l, attrs: { for: tr.el.id } }), tr.el) : null,
    warnings.length ? h('ul', { class: 'draft-warn' }, ...warnings.map(warnItem)) : null,
  );
  rows.push(row);
  list.appendChild(li);
  if (focus) { name.el.focus(); }
}

/** keepEdits writes the preview's fields back into the draft, so going
 * back and forth keeps them, and answers the menu to send. */
function keepEdits(): MenuItemInput[] {
  const d = app.draft!;
  const l = lang();
  d.items = rows.map((r) => {
    const it: DraftItem = { ...r.item, name: r.name.value.trim(), price: typedPrice(r.price.value) || undefined };
    delete it.priceMinor; // the price string, in the chosen currency, is what counts
    const tr = r.tr?.value.trim();
    if (tr && tr !== r.item.suggestedNames?.[l]) { it.names = { ...(it.names ?? {}), [l]: tr }; }
    if (it.name !== r.item.name) {
      // a renamed dish is another dish: the glossary's words were about the old name
      delete it.suggestedNames;
      delete it.romanized;
      delete it.glossary;
    }
    return it;
  });
  return d.items.filter((it) => it.name).map(({ line: _line, priceMinor: _minor, ...it }) => {
    if (!it.id) { delete (it as MenuItemInput).id; }
    return it as MenuItemInput;
  });
}

/** markRow highlights the dish the server refused (menu[i] in its
 * detail) and answers whether it found one. */
function markRow(e: unknown): boolean {
  const m = e instanceof ApiError ? /menu\[(\d+)\]/.exec(e.detail ?? '') : null;
  const sent = rows.filter((r) => r.name.value.trim());
  const r = m ? sent[Number(m[1])] : undefined;
  if (!r) { return false; }
  r.li.classList.add('has-error');
  r.price.setAttribute('aria-invalid', 'true');
  r.price.focus();
  return true;
}

// ---- your name, and the room ------------------------------------------------

let pendingMenu: MenuItemInput[] = [];

function goName(): void {
  pendingMenu = keepEdits();
  if (!pendingMenu.length) {
    fail(null, 'start.nothing');
    return;
  }
  history.pushState({ screen: 'name' }, '', '/');
  showName();
}

export function showName(): void {
  if (!app.draft || !pendingMenu.length) { showStart(); return; }
  const you = field({ id: 'host-name', label: t('name.you'), maxlength: 64, autocomplete: 'nickname', required: true, hint: t('name.you.hint') });
  const table = field({ id: 'table-name', label: t('name.table'), maxlength: 64, placeholder: t('name.table.placeholder') });
  const open = button(t('name.open'), () => void createRoom(open, you.input.value.trim(), table.input.value.trim()), 'btn btn-primary btn-block');
  open.id = 'create-btn';
  const submit = (e: KeyboardEvent) => { if (e.key === 'Enter') { open.click(); } };
  you.input.addEventListener('keydown', submit as EventListener);
  table.input.addEventListener('keydown', submit as EventListener);
  show('name', '', [
    h('h1', { text: t('name.title') }),
    h('p', { class: 'lede', text: t('name.lede', { n: pendingMenu.length }) }),
    you.wrap, table.wrap,
    h('div', { class: 'footer-actions' }, open),
  ], [], () => history.back());
}

async function createRoom(btn: HTMLButtonElement, you: string, table: string): Promise<void> {
  if (!you) {
    fail(null, 'name.you.missing');
    must('#host-name').focus();
    return;
  }
  const d = app.draft!;
  const body = { menu: pendingMenu, creatorName: you, name: table || undefined, currency: d.currency || undefined };
  const room = await busy(btn, () => call<NewRoom>('POST', '/v1/rooms', body), (e) => {
    if (!(e instanceof ApiError && e.code === 'invalid_value' && /menu\[\d+\]/.test(e.detail ?? ''))) { return false; }
    // back to the dish the server could not take
    history.back();
    window.addEventListener('popstate', () => window.setTimeout(() => { markRow(e); fail(e, 'preview.dish.invalid'); }, 0), { once: true });
    return true;
  });
  if (!room) { return; }
  const c = room.creator!;
  app.roomId = room.id;
  app.me = { memberId: c.member.id, name: c.member.name, token: c.token };
  saveMe(room.id, app.me);
  app.draft = null;
  history.replaceState(null, '', '/r/' + room.id);
  showShare(room.name, shareLink(room.id), true);
}
