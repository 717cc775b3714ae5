// Package glossary names restaurant dishes for readers who cannot read the
// menu: it finds the dish a printed name refers to, gives its name in
// English, Japanese and Chinese (simplified and traditional) and Korean,
// and says how to pronounce the printed name in Latin letters.
//
// Machine translation garbles dish names (김치찌개 is not "kimchi stew pot")
// and is not available offline, so this is a glossary: a table of dishes
// written down once from public standards, matched by normalization rather
// than by a model.
//
// # Data
//
// dishes.tsv and modifiers.tsv are embedded with go:embed and parsed once,
// lazily, on the first call to Default (or a package-level function that
// uses it); parsing takes a few milliseconds. They are tab-separated tables
// with a header row and # comments, one dish a row: a stable id, the
// cuisine, the name as printed in its own language, |-separated spelling
// variants, the romanization, the names in en, ja, zh-Hans, zh-Hant, ko
// (and th, vi for those cuisines), checked (yes/no) and a note. The file's
// header names the sources and their dates: for Korean dishes the National
// Institute of Korean Language's 2014 standard names of 200 dishes
// ("주요 한식명(200개) 로마자 표기 및 번역(영, 중, 일) 표준안", final
// 2014-07-30) as published for restaurants by the Korean Food Foundation
// ("한식메뉴 외국어표기 길라잡이", 2014), with the later 800-dish edition of
// the Korean Food Promotion Institute named but not consulted; for the other
// cuisines common restaurant and tourism-board usage. Rows whose author was
// unsure of a name say checked=no, for a reader of that language to review.
// Load reads other tables of the same form.
//
// # Matching
//
// Lookup normalizes a printed name (NFKC, lower case, punctuation and
// spaces removed, bracketed parts such as (2인분) or （大） set aside, amounts,
// prices and size words dropped, hiragana folded to katakana, traditional
// Chinese characters common in dish names folded to simplified, 찌게 read as
// 찌개) and then tries, in order:
//
//  1. the whole name against every dish's name, variants, romanization and
//     translations (a Japanese menu's ビビンバ is 비빔밥), exactly;
//  2. each bracketed part ("Bibimbap (비빔밥)");
//  3. the name without a trailing set word (불고기 정식, 刺身盛り合わせ);
//  4. the longest head: in Korean, Japanese and Chinese the dish is the end
//     of the name and the rest qualifies it (해물 순두부찌개 is a
//     순두부찌개, 豚骨ラーメン a ラーメン); in Thai and Vietnamese it is the
//     start (phở bò tái, ข้าวผัดกุ้ง). Match.Kind says Head, Match.Modifier
//     holds the rest and Match.Modifiers the words of it found in the
//     modifier table, so that Suggestion can say "Tteokbokki (cheese)?".
//
// False heads are kept out three ways: a head has at least two characters
// in Hangul, kana or Han (밥, 면, 麺 and 饭 end half the menu) and three
// letters in Latin or Thai script, where it must also end at a word break;
// names of plain rice and side orders (공깃밥, ライス, 米饭, ข้าว, cơm)
// are never heads; and a one-character remainder that is not a known
// modifier and not a separate word rejects the head (탕수육 is not a kind of
// 수육).
//
// # Romanization
//
// RomanizeKorean implements the Revised Romanization of Korean (Ministry of
// Culture and Tourism notice 2000-8, 2000-07-07) from the rule text: the
// consonant and vowel values, liaison, nasalisation (백마 baengma, 종로
// Jongno), ㄹ assimilation (신라 Silla, 설렁탕 seolleongtang), the inserted ㄴ
// for a listed set of compounds (학여울 Hangnyeoul, 깻잎 kkaennip: it is
// lexical), palatalisation (같이 gachi), aspiration, and no mark for
// tensification. Aspiration of ㄱ, ㄷ, ㅂ before ㅎ depends on the word
// class, which the caller gives as a KoreanMode: nouns keep the h (묵호
// Mukho), predicates do not (잡혀 japyeo). The optional hyphen against
// misreading (Jung-ang) is not inserted. No maintained Go library for this
// was found (none is on the module proxy here), and the package keeps to the
// standard library and golang.org/x/text.
//
// RomanizeKana implements Hepburn as menus print it: long vowels unmarked
// (ramen, gyudon; RomanizeKanaMacrons gives rāmen), ん as m before b and p
// (tempura, shimbun) and n' before a vowel or y (kin'en), っ doubling the
// next consonant (kippu, matcha). Kanji cannot be read without a dictionary:
// kanji names get romaji only from the glossary.
//
// Romanize is what a menu shows: a matched dish's romanization from the
// glossary (김치찌개 kimchi-jjigae, with the guideline's customary kimchi and
// its hyphen before the generic dish word), the modifier joined to the head
// for a head match (haemul-sundubu-jjigae, tonkotsu ramen), and otherwise
// the rule, with a hyphen before a generic Korean dish word (찌개, 볶음, 구이,
// and 탕, 국, 전, 죽, 찜 after two syllables or more) as the guideline
// writes them. Everything is lower case.
package glossary
