// Package menutext reads a restaurant menu from text — pasted lines, CSV
// or JSON — and answers a Draft: dishes with exact prices in minor units,
// the menu's currency, and a warning for everything it was unsure of. It
// creates nothing; a person checks the draft first.
//
// The rule behind every decision below: never a silent guess. What the
// parser infers is a warning on its line (Line 0 for the whole menu);
// what it cannot read is left unread, with a warning saying why.
//
// # Formats
//
// JSON when the text starts with "{" or with "[" and an item ("[식사]"
// opens a pasted menu instead): an array of items, or {"menu": [...]}
// with an optional "currency". Item fields: id, name, price,
// description, names {tag: name}, name_<tag>, currency. A number price is
// read from its literal text, never through float64, and nothing groups
// digits in it (12.000 is twelve). CSV when the first line is a header
// with a "name" column (delimiter ",", ";" or tab): id, name, price,
// description, currency, name_<tag>. Anything else is pasted lines.
//
// # Pasted lines
//
// The price is read from the end of the line backwards, so commas and
// numbers in the name never shift it: "Beef stew with rice, soup 1, 11.5"
// is "Beef stew with rice, soup 1" at 11.50. Leaders and separators
// between name and price (…… ··· ・・ ーーー " - " ", " tabs) are
// dropped; a katakana length mark that ends a word (コーヒー) is kept.
// Names are kept as typed (NFC); full-width digits and signs are folded
// (NFKC, one rune for one rune) only to read the price.
// Also recognised: "name | price | description" and tab columns;
// "name, price, description" when text, not a number, ends the line; a
// bracketed note after the price (850円（税込）, "Soup 5.00 (v)") or emoji
// after it (9,000원 🔥), which become the description; "12.-" and "12,-"
// as whole prices; "120++" with a price_note warning.
//
// A line without a price is a heading, with a warning and no dish, when
// it is shaped like one ([식사], 【メイン】, MAINS, "Desserts:", "## Wine")
// or when it is short, has no digits, opens a block (after a blank line
// or at the start) and leads into dishes ("メイン"); otherwise it is kept
// as a dish without a price (no_price). Blank lines and rules (-----,
// ーーーー) carry no text and are skipped without a warning.
// Neighbouring lines are used in three more ways, each with a warning: a
// line holding only a price gives it to the unpriced dish just above
// (price_own_line); an indented unpriced line just below a priced dish
// is its description (description_line); two prices joined by "~", "-"
// or "/" keep the last one (price_ambiguous). Prices written in number
// words or shorthand (1만2천원, 12천원, 2万円, 65k) are not guessed at
// (price_unreadable). A minus against the number ("discount -2.00") is a
// sign, and menus have no negative prices (price_negative). Opening hours
// (11:30) and phone numbers are not prices.
//
// # Reading a number
//
// A number's separators are read by structure first: "1.234,56" and
// "1,234.56" say which is the decimal point; repeated separators group
// thousands; a separator before one, two or four digits is a decimal
// point (9,50 / 12.5). Spaces, no-break spaces (U+00A0, U+202F) and
// apostrophes only group (1 200,50 €, 1'250.00 CHF); an ordinary space
// joins only three digits to one to three before it, with a warning when
// the first part is a single digit that might be a set number (ชุด 3 150).
// Decimals must fit the currency (extra zeros may: 980.00 円).
//
// The one real ambiguity is a single "," or "." before exactly three
// digits. In a currency without minor units (KRW, JPY, VND) it always
// groups: 12,000원, 65.000đ. Otherwise (1,200 $ / 1.200 €) the menu's
// other prices decide, if they use a decimal separator unambiguously; then
// the currency's habit (cents after "." in USD, after "," in EUR unless
// the language hint is English, Irish or Maltese); a reading that
// remains a guess gets price_ambiguous.
//
// # Currency
//
// The currency is, in order: Options.Currency; the JSON "currency"; the
// signs, words and codes next to the prices (₩ 원 KRW, ¥ 円 JPY, 元 RMB
// CNY, NT$ HK$ US$ $, ₫ đ VND, ฿ บาท THB, € £ CHF …), by majority; the
// region of the language hint; the script of the dish names (Hangul →
// KRW, kana → JPY, Thai → THB, Han → CNY or TWD for Traditional
// characters, Vietnamese letters → VND). The last two always warn
// (currency_guessed). Latin script alone names no country, so a menu with
// neither signs nor hints gets no currency and no prices, with
// currency_unknown: minor units mean nothing without a currency, and the
// caller can read the menu again with Options.Currency.
//
// Shared symbols are settled by the rest of the menu. ¥ is yen when the
// menu also writes 円 or kana and yuan when it writes 元 or RMB; then the
// language hint decides; Chinese characters without kana read as yuan and
// Latin script as yen, both with a warning. $ is the dollar of the hint's
// region, or of another sign on the menu (NT$); Traditional Chinese
// suggests NT$ and anything else US$, with a warning. 元 is CNY unless the
// menu is in Traditional Chinese (then TWD, with a warning).
//
// Signs on a few lines do not silently price the rest: when the names'
// script points to another currency (a Korean menu with one "Wine €40"),
// the unmarked prices decide if they are more, and a warning says so
// either way.
//
// A price in another currency than the menu's is not read
// (currency_mismatch), since its number means nothing in the menu's one.
//
// # Limits
//
// At most MaxItems dishes (then too_many_items and the rest unread), names
// cut to MaxNameLen characters, descriptions to MaxDescriptionLen, ids to
// MaxIDLen, at most MaxWarnings warnings. The caller bounds the input in
// bytes; Parse runs in time linear in it and never panics.
package menutext
