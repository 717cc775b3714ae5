// The pieces every screen uses: the top bar, the language switcher, the
// one error toast and the one polite announcer, dialogs, form fields,
// and the mapping of the server's problem codes to the catalogue.
import { h, must, clear, icon, type Child } from './dom';
import { t, has, lang, setLang, LANGS, AUTONYMS, type Lang, type Key } from './i18n';
import { ApiError } from './api';
import { currencySign } from './money';
import { app, saveLang, type Screen } from './app';

export function main(): HTMLElement { return must('#main'); }

/** show puts a screen in place: its content, its title, its bar. */
export function show(screen: Screen, title: string, content: Child[], actions: Child[] = [], back?: () => void): void {
  app.screen = screen;
  document.body.dataset.screen = screen;
  hideToast();
  // A sheet of the screen before (host controls when the table closed,
  // the staff card when this phone was taken out) goes with it.
  for (const d of document.querySelectorAll<HTMLDialogElement>('dialog[open]')) { d.close(); }
  const m = main();
  clear(m);
  m.append(...(content.filter(Boolean) as Node[]));
  document.getElementById('bar')?.remove();
  const bar = must('#topbar-title');
  clear(bar);
  if (back) {
    bar.append(h('button', { class: 'btn icon-btn', type: 'button', id: 'back-btn', attrs: { 'aria-label': t('action.back') }, on: { click: back } }, icon('back')));
  }
  bar.append(title ? h('span', { class: 'topbar-name', text: title, dir: 'auto' }) : wordmark());
  const acts = must('#topbar-actions');
  clear(acts);
  acts.append(...(actions.filter(Boolean) as Node[]));
  document.title = title ? title + ' · menusync' : 'menusync';
  window.scrollTo(0, 0);
}

export function wordmark(): HTMLElement {
  return h('span', { class: 'wordmark' }, h('span', { class: 'wordmark-dot', attrs: { 'aria-hidden': 'true' } }), 'menusync');
}

/** langSelect switches the interface language; the choice is kept. */
export function langSelect(): HTMLElement {
  const sel = h('select', { id: 'lang', class: 'lang-select', attrs: { 'aria-label': t('lang.label') } },
    ...LANGS.map((l) => h('option', { text: AUTONYMS[l], lang: l, attrs: { value: l, selected: l === lang() } })));
  sel.addEventListener('change', () => {
    applyLang(sel.value as Lang);
    saveLang(sel.value);
    app.rerender();
    must<HTMLSelectElement>('#lang').focus();
  });
  return h('div', { class: 'lang-wrap' }, icon('globe'), sel);
}

export function applyLang(l: Lang): void {
  setLang(l);
  document.documentElement.lang = l;
}

let toastTimer = 0;

/** fail shows what went wrong in the reader's words (never the server's
 * own text), until the next success or screen. */
export function fail(e: unknown, fallback: Key = 'error.generic'): void {
  // A mistake of the app's own, not an answer: keep it for whoever
  // debugs (the browser tests fail on it).
  if (e && !(e instanceof ApiError)) { console.error('menusync:', e); }
  const el = must('#toast');
  must('#toast-text').textContent = errorText(e, fallback);
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(hideToast, 10000);
}

export function hideToast(): void {
  const el = document.getElementById('toast');
  if (el) { el.hidden = true; }
}

export function errorText(e: unknown, fallback: Key = 'error.generic'): string {
  if (e instanceof ApiError) {
    if (e.code && has('error.' + e.code)) { return t(('error.' + e.code) as Key); }
    if (e.status === undefined || e.status >= 500) { return t('error.network'); }
    if (e.status === 429) { return t('error.rate_limited'); }
  }
  return t(fallback);
}

let announceTimer = 0;

/** announce says something once to screen readers (a copied link, the
 * connection back): one polite region, written at most once a second. */
export function announce(text: string): void {
  clearTimeout(announceTimer);
  announceTimer = window.setTimeout(() => {
    const el = must('#announce');
    el.textContent = '';
    el.textContent = text;
  }, 100);
}

export interface DialogOptions {
  title: string;
  titleLang?: string;
  id?: string;
  class?: string;
  lang?: string;
  body: Child[];
  actions?: Child[];
  onClose?: () => void;
}

export interface OpenDialog {
  dlg: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
}

let dialogSeq = 0;

/** dialog opens a modal sheet; it is removed when closed (Escape, the
 * close button, or close()). */
export function dialog(o: DialogOptions): OpenDialog {
  const hid = 'dlg-h-' + ++dialogSeq;
  // tabindex: a scrolling region that holds nothing focusable must take
  // the focus itself, or a keyboard cannot scroll it.
  const body = h('div', { class: 'sheet-body', attrs: { tabindex: '0' } }, ...o.body);
  const dlg = h('dialog', { class: 'sheet ' + (o.class ?? ''), id: o.id, lang: o.lang, attrs: { 'aria-labelledby': hid } },
    h('header', { class: 'sheet-head' },
      h('h2', { id: hid, text: o.title, dir: 'auto', lang: o.titleLang }),
      h('button', { class: 'btn icon-btn sheet-close', type: 'button', attrs: { 'aria-label': t('action.close') }, on: { click: () => dlg.close() } }, icon('close'))),
    body,
    o.actions && o.actions.length ? h('footer', { class: 'sheet-actions' }, ...o.actions) : null);
  dlg.addEventListener('close', () => {
    dlg.remove();
    o.onClose?.();
  });
  document.body.appendChild(dlg);
  dlg.showModal();
  return { dlg, body, close: () => dlg.close() };
}

let fieldSeq = 0;

export interface FieldOptions {
  label: string;
  id?: string;
  value?: string;
  placeholder?: string;
  hint?: string;
  type?: string;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: string;
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  hideLabel?: boolean;
}

/** field is a labelled input (or textarea) with an optional hint. */
export function field(o: FieldOptions): { wrap: HTMLElement; input: HTMLInputElement | HTMLTextAreaElement } {
  const id = o.id ?? 'f-' + ++fieldSeq;
  const hintId = o.hint ? id + '-hint' : undefined;
  const attrs = {
    name: id, placeholder: o.placeholder, maxlength: o.maxlength, autocomplete: o.autocomplete ?? 'off',
    inputmode: o.inputmode, required: o.required, 'aria-describedby': hintId, dir: 'auto', rows: o.rows,
  };
  const input = o.multiline
    ? h('textarea', { id, class: 'input', attrs })
    : h('input', { id, class: 'input', type: o.type ?? 'text', attrs });
  if (o.value !== undefined) { input.value = o.value; }
  const wrap = h('div', { class: 'field' },
    h('label', { class: o.hideLabel ? 'visually-hidden' : 'label', text: o.label, attrs: { for: id } }),
    input,
    o.hint ? h('p', { class: 'hint', id: hintId, text: o.hint }) : null);
  return { wrap, input };
}

/** priceField puts the currency's sign in front of a price input, as
 * the prices read everywhere else ("₩ 12000", not a bare "12000");
 * setCurrency changes it when the host picks another currency. */
export function priceField(input: HTMLInputElement, currency: string | undefined): { wrap: HTMLElement; setCurrency: (c: string | undefined) => void } {
  const sign = h('span', { class: 'price-sign', attrs: { 'aria-hidden': 'true' } });
  const wrap = h('span', { class: 'price-field' }, sign, input);
  const setCurrency = (c: string | undefined) => {
    const s = currencySign(c, lang());
    sign.textContent = s;
    wrap.style.setProperty('--sign', String(s.length));
    wrap.classList.toggle('has-sign', s !== '');
  };
  setCurrency(currency);
  return { wrap, setCurrency };
}

export function button(text: string, onClick: (e: MouseEvent) => void, cls = 'btn', ...extra: Child[]): HTMLButtonElement {
  return h('button', { class: cls, type: 'button', on: { click: onClick } }, ...extra, h('span', { text }));
}

/** withId gives an element an id (for labels, tests and the debug view). */
export function withId<T extends HTMLElement>(el: T, id: string): T {
  el.id = id;
  return el;
}

/**
 * busy disables a button while its request runs. A failure goes to
 * onError first, when given (true: it took care of it: a table that is
 * gone, a dish to go back to), and otherwise to the toast.
 */
export async function busy<T>(btn: HTMLButtonElement, run: () => Promise<T>, onError?: (e: unknown) => boolean): Promise<T | undefined> {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    const v = await run();
    hideToast();
    return v;
  } catch (e) {
    if (!onError?.(e)) { fail(e); }
    return undefined;
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}
