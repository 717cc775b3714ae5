// Every string the app shows comes from messages.json: one entry per key,
// with the English and each language side by side for reviewers. A
// message is a string with {placeholders}, or, where a count changes the
// words, an object of plural forms (Intl.PluralRules categories).
import catalogue from './messages.json';

export type Key = keyof typeof catalogue;
export const LANGS = ['en', 'ko', 'ja', 'zh-Hans', 'zh-Hant', 'th', 'vi', 'es', 'fr', 'de'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language in its own words, for the switcher. */
export const AUTONYMS: Record<Lang, string> = {
  en: 'English', ko: '한국어', ja: '日本語', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文',
  th: 'ไทย', vi: 'Tiếng Việt', es: 'Español', fr: 'Français', de: 'Deutsch',
};

type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;

/** matchLang maps a BCP 47 tag to a catalogue language, or null. */
export function matchLang(tag: string): Lang | null {
  const t = tag.toLowerCase();
  if (t === 'zh' || t.startsWith('zh-')) {
    return /-(hant|tw|hk|mo)\b/.test(t) ? 'zh-Hant' : 'zh-Hans';
  }
  const primary = t.split('-')[0];
  return (LANGS as readonly string[]).includes(primary) ? (primary as Lang) : null;
}

/** pickLang: the first of the reader's languages the catalogue has. */
export function pickLang(prefs: readonly string[]): Lang {
  for (const p of prefs) {
    const l = matchLang(p);
    if (l) { return l; }
  }
  return 'en';
}

let current: Lang = 'en';
export const lang = (): Lang => current;
export function setLang(l: Lang): void { current = l; }

const plurals = new Map<string, Intl.PluralRules>();

/** t finds key's message in language l and fills in params. */
export function t(key: Key, params?: Record<string, string | number>, l: Lang = current): string {
  const entry = catalogue[key] as Record<string, Message>;
  let msg = entry[l] ?? entry.en;
  if (typeof msg !== 'string') {
    const n = Number(params?.n ?? 0);
    let rules = plurals.get(l);
    if (!rules) {
      rules = new Intl.PluralRules(l);
      plurals.set(l, rules);
    }
    const forms = msg;
    msg = forms[rules.select(n)] ?? forms.other ?? '';
  }
  return msg.replace(/\{(\w+)\}/g, (all, k: string) => (params && k in params ? String(params[k]) : all));
}

/** has: whether key exists (problem codes from the server). */
export function has(key: string): key is Key {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}
