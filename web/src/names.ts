// Dish names: the printed name (what the staff read), and the name in
// the reader's language: a member's or the menu's names[lang] wins, else
// the glossary's suggestedNames[lang], shown as a suggestion anyone may
// correct. The printed name's language is read from its script, so its
// lang attribute (fonts, screen readers) is right.
import type { MenuItem } from './types';
import { type Lang, matchLang } from './i18n';

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
const KANA = /[\u3040-\u30ff\u31f0-\u31ff]/;
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const THAI = /[\u0e00-\u0e7f]/;
const VIET = /[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/;
// Characters only one of the two Chinese scripts writes (common on menus).
const SIMPLIFIED = /[们这个说为时会来对发过还没样饭鸡鱼面汤饺烧肉虾酱凉炖卤锅馄饨饼粥猪羊牛蔬菜]/g;
const TRADITIONAL = /[們這個說為時會來對發過還沒樣飯雞魚麵湯餃燒蝦醬涼燉滷鍋餛飩餅豬蔬]/g;

/** menuLang guesses the language a menu is printed in from its names:
 * "ko", "ja", "zh-Hans", "zh-Hant", "th", "vi", or "" when unsure. */
export function menuLang(menu: readonly MenuItem[]): string {
  const text = menu.map((it) => it.name).join('\n');
  if (HANGUL.test(text)) { return 'ko'; }
  if (KANA.test(text)) { return 'ja'; }
  if (THAI.test(text)) { return 'th'; }
  if (HAN.test(text)) {
    const s = text.match(SIMPLIFIED)?.length ?? 0;
    const tr = text.match(TRADITIONAL)?.length ?? 0;
    return tr > s ? 'zh-Hant' : 'zh-Hans';
  }
  if (VIET.test(text)) { return 'vi'; }
  return '';
}

/** The catalogue language of a printed menu, for the staff card. */
export function staffLang(menu: readonly MenuItem[]): Lang {
  return matchLang(menuLang(menu) || 'en') ?? 'en';
}

export interface ShownName {
  text: string;
  lang: string;
  /** A machine suggestion (the glossary's), to be confirmed or corrected. */
  suggested: boolean;
  /** Not in the reader's language: a fallback (English). */
  fallback: boolean;
}

function find(names: Record<string, string> | undefined, want: string): [string, string] | null {
  if (!names) { return null; }
  if (names[want]) { return [want, names[want]]; }
  for (const [k, v] of Object.entries(names)) {
    if (v && matchLang(k) === want) { return [k, v]; }
  }
  return null;
}

/** shownName is the dish's name for a reader of lang, or null when the
 * printed name is already in that language (or nothing is known). */
export function shownName(it: MenuItem, lang: Lang, printedLang: string): ShownName | null {
  if (printedLang && matchLang(printedLang) === lang) { return null; }
  for (const want of lang === 'en' ? ['en'] : [lang, 'en']) {
    const own = find(it.names, want);
    if (own) { return { text: own[1], lang: own[0], suggested: false, fallback: want !== lang }; }
    const sug = find(it.suggestedNames, want);
    if (sug) { return { text: sug[1], lang: sug[0], suggested: true, fallback: want !== lang }; }
  }
  return null;
}

/** The plain label of a dish for buttons and lists: the reader's name
 * if there is one, else the printed name. */
export function label(it: MenuItem, lang: Lang, printedLang: string): string {
  return shownName(it, lang, printedLang)?.text ?? it.name;
}
