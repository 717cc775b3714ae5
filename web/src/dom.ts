// A few lines instead of a framework: h() builds elements, and every
// text goes in as text (never as HTML), so names and notes from other
// people cannot inject markup.

export type Child = Node | string | null | undefined | false;

type Handlers = { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };

export interface Props {
  class?: string;
  id?: string;
  text?: string;
  lang?: string;
  dir?: string;
  hidden?: boolean;
  type?: string;
  /** Attributes; false or undefined leaves one out, true sets it empty. */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: Handlers;
  data?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) { el.className = props.class; }
    if (props.id) { el.id = props.id; }
    if (props.lang) { el.lang = props.lang; }
    if (props.dir) { el.dir = props.dir; }
    if (props.hidden) { el.hidden = true; }
    if (props.type) { el.setAttribute('type', props.type); }
    if (props.text !== undefined) { el.textContent = props.text; }
    for (const [k, v] of Object.entries(props.attrs ?? {})) {
      if (v === undefined || v === false) { continue; }
      el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const [k, v] of Object.entries(props.data ?? {})) { el.dataset[k] = v; }
    for (const [k, fn] of Object.entries(props.on ?? {})) {
      el.addEventListener(k, fn as EventListener);
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) { continue; }
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function $<T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T | null {
  return root.querySelector<T>(sel);
}

export function must<T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(sel);
  if (!el) { throw new Error('missing ' + sel); }
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** setText changes a node's text only when it differs: no needless
 * mutations for assistive technology to notice. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) { el.textContent = text; }
}

/** A small inline icon from the sprite-less set below (decorative). */
export function icon(name: keyof typeof ICONS): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  svg.appendChild(path);
  return svg;
}

// Paths drawn for a 24×24 box, stroked (see .icon in app.css).
const ICONS = {
  camera: 'M4 8h3l2-3h6l2 3h3v11H4z M12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
  paste: 'M9 4h6v3H9z M7 5H5v16h14V5h-2 M8 12h8 M8 16h6',
  file: 'M6 3h8l4 4v14H6z M14 3v4h4 M9 13h6 M9 17h6',
  share: 'M12 3v12 M7 8l5-5 5 5 M5 13v8h14v-8',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  check: 'M5 12l5 5 9-10',
  more: 'M5 12h.01 M12 12h.01 M19 12h.01',
  close: 'M6 6l12 12 M18 6L6 18',
  plus: 'M12 5v14 M5 12h14',
  minus: 'M5 12h14',
  note: 'M5 4h14v12l-4 4H5z M15 20v-4h4 M8 9h8 M8 13h5',
  people: 'M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M3 20c0-3 3-5 6-5s6 2 6 5 M16 5a3 3 0 0 1 0 6 M18 15c2 .5 3 2.5 3 5',
  receipt: 'M6 3h12v18l-3-2-3 2-3-2-3 2z M9 8h6 M9 12h6 M9 16h4',
  waiter: 'M4 17h16 M6 17a6 6 0 0 1 12 0 M12 8v3 M3 20h18',
  lock: 'M6 11h12v9H6z M8 11V8a4 4 0 0 1 8 0v3',
  globe: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M3 12h18 M12 3c3 3 3 15 0 18 M12 3c-3 3-3 15 0 18',
  back: 'M15 5l-7 7 7 7',
  edit: 'M4 20h4L19 9l-4-4L4 16z M13 7l4 4',
  speak: 'M4 9v6h4l5 4V5L8 9z M16 9a4 4 0 0 1 0 6 M18.5 6.5a8 8 0 0 1 0 11',
} as const;
