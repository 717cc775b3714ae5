// Money is integers in minor units of the room's currency (see
// openapi.yaml "Money"): 12000 KRW is 12000, 12.50 USD is 1250. It is
// shown with Intl.NumberFormat from an exact decimal string, never
// through a float division.

const formats = new Map<string, Intl.NumberFormat>();

/** minorToDecimal writes minor units as a decimal in major units:
 * (1250, 2) is "12.50", (12000, 0) is "12000". */
export function minorToDecimal(minor: bigint | number, digits: number): string {
  let v = BigInt(minor);
  const neg = v < 0n;
  if (neg) { v = -v; }
  let s = v.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  }
  return (neg ? '-' : '') + s;
}

/** typedPrice is a price as a person typed it, ready for the server:
 * spaces and digit-group separators (",", "_", "'") dropped, the rest
 * (the decimal point, a stray letter) left for the server to judge. */
export function typedPrice(raw: string): string {
  return raw.trim().replace(/[\s,_']/g, '');
}

/** formatMoney shows an amount for a reader of locale: "₩12,000",
 * "12.000 ₩", "$12.50". A room without a currency has plain
 * hundredths, shown as a number with two decimals. */
export function formatMoney(minor: bigint | number, currency: string | undefined, digits: number, locale: string): string {
  return formatter(currency, digits, locale).format(minorToDecimal(minor, digits) as Intl.StringNumericLiteral);
}

/** currencySign is the sign formatMoney prints for a currency ("₩", "¥",
 * "CHF"), for a price field's adornment; "" for none. */
export function currencySign(currency: string | undefined, locale: string): string {
  if (!currency) { return ''; }
  return formatter(currency, 0, locale).formatToParts(0).find((p) => p.type === 'currency')?.value ?? '';
}

function formatter(currency: string | undefined, digits: number, locale: string): Intl.NumberFormat {
  const key = locale + '|' + (currency ?? '') + '|' + digits;
  let f = formats.get(key);
  if (!f) {
    const opts: Intl.NumberFormatOptions = { minimumFractionDigits: digits, maximumFractionDigits: digits };
    if (currency) {
      opts.style = 'currency';
      opts.currency = currency;
      // The sign printed on the menu (₩, ¥, ฿), not "KRW" in locales
      // that have no symbol of their own for it.
      opts.currencyDisplay = 'narrowSymbol';
    }
    try {
      f = new Intl.NumberFormat(locale, opts);
    } catch {
      f = new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    formats.set(key, f);
  }
  return f;
}

/** currencyDigits: the minor-unit digits the browser knows for a code
 * (the server's answer, room.currencyDigits, wins once there is a room). */
export function currencyDigits(code: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The currencies offered in the menu preview, beyond the one read. */
export const CURRENCIES = ['KRW', 'JPY', 'CNY', 'TWD', 'HKD', 'THB', 'VND', 'SGD', 'MYR', 'IDR', 'PHP',
  'USD', 'EUR', 'GBP', 'CHF', 'AUD', 'CAD', 'MXN'] as const;

export function currencyName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
}
