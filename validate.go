package menusync

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// ValidateMenu checks a menu and fills in missing item ids (1-based
// positions), so a pasted list of names is enough to open a room. Text is
// cleaned as cleanText says.
func ValidateMenu(menu []MenuItem) ([]MenuItem, error) {
	if len(menu) == 0 {
		return nil, Invalidf("menu must have at least one item")
	}
	if len(menu) > MaxMenuItems {
		return nil, Invalidf("menu has %d items; the limit is %d", len(menu), MaxMenuItems)
	}
	out := make([]MenuItem, len(menu))
	seen := make(map[string]int, len(menu))
	for i, it := range menu {
		if it.ID == "" {
			it.ID = strconv.Itoa(i + 1)
		}
		if err := CheckItemID(it.ID); err != nil {
			return nil, Invalidf("menu[%d].id: %s", i, err.Error())
		}
		if j, dup := seen[it.ID]; dup {
			return nil, Invalidf("menu[%d].id %q repeats menu[%d].id", i, it.ID, j)
		}
		seen[it.ID] = i
		var err error
		if it.Name, err = cleanText(it.Name, 1, MaxItemNameLen, false); err != nil {
			return nil, Invalidf("menu[%d].name: %s", i, err.Error())
		}
		if it.Description, err = cleanText(it.Description, 0, MaxDescriptionLen, true); err != nil {
			return nil, Invalidf("menu[%d].description: %s", i, err.Error())
		}
		if it.PriceMinor != nil && (*it.PriceMinor < 0 || *it.PriceMinor > MaxPriceMinor) {
			return nil, Invalidf("menu[%d].priceMinor must be between 0 and %d", i, MaxPriceMinor)
		}
		// Twice the languages a menu brings: a host's edit sends back the
		// members' names too (see MaxNamesPerItem).
		if it.Names, err = CleanNames(it.Names, 2*MaxNamesPerItem); err != nil {
			return nil, Invalidf("menu[%d].names: %s", i, err.Error())
		}
		if it.SuggestedNames, err = CleanNames(it.SuggestedNames, MaxNamesPerItem); err != nil {
			return nil, Invalidf("menu[%d].suggestedNames: %s", i, err.Error())
		}
		if it.Romanized, err = cleanText(it.Romanized, 0, MaxItemNameLen, false); err != nil {
			return nil, Invalidf("menu[%d].romanized: %s", i, err.Error())
		}
		out[i] = it
	}
	return out, nil
}

// CleanMemberName cleans a display name and checks it.
func CleanMemberName(name string) (string, error) {
	name, err := cleanText(name, 1, MaxMemberNameLen, false)
	if err != nil {
		return "", Invalidf("name: %s", err.Error())
	}
	return name, nil
}

// CleanNames checks a dish's names by language: at most max, each under
// a BCP 47 tag (written canonically; two tags that mean one language are
// refused) and a name like a dish's.
func CleanNames(names map[string]string, max int) (map[string]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	if len(names) > max {
		return nil, Invalidf("at most %d languages", max)
	}
	out := make(map[string]string, len(names))
	for tag, name := range names {
		lang, err := CleanLang(tag)
		if err != nil {
			return nil, err
		}
		if _, dup := out[lang]; dup {
			return nil, Invalidf("%s is named twice (as %s and another spelling)", lang, tag)
		}
		if out[lang], err = cleanText(name, 1, MaxItemNameLen, false); err != nil {
			return nil, Invalidf("%s: %s", lang, err.Error())
		}
	}
	return out, nil
}

// CleanLang reads a BCP 47 language tag ("ko", "zh-Hant", "pt-BR") and
// writes it canonically.
func CleanLang(tag string) (string, error) {
	t, err := language.Parse(tag)
	if err != nil || len(tag) > 35 || tag == "" {
		return "", Invalidf("%q is not a language tag like en, ko or zh-Hant", tag)
	}
	return t.String(), nil
}

// CleanDishName checks a member's name for a dish in their language.
func CleanDishName(name string) (string, error) {
	name, err := cleanText(name, 1, MaxDishNameLen, false)
	if err != nil {
		return "", Invalidf("name: %s", err.Error())
	}
	return name, nil
}

// CleanNote checks a note for the kitchen: one line, at most MaxNoteLen.
func CleanNote(note string) (string, error) {
	note, err := cleanText(note, 0, MaxNoteLen, false)
	if err != nil {
		return "", Invalidf("note: %s", err.Error())
	}
	return note, nil
}

// CleanRoomName checks a table's name: at most MaxRoomNameLen, may be empty.
func CleanRoomName(name string) (string, error) {
	name, err := cleanText(name, 0, MaxRoomNameLen, false)
	if err != nil {
		return "", Invalidf("name: %s", err.Error())
	}
	return name, nil
}

// CleanReason checks why a table was closed: one short line.
func CleanReason(reason string) (string, error) {
	reason, err := cleanText(reason, 0, MaxReasonLen, false)
	if err != nil {
		return "", Invalidf("reason: %s", err.Error())
	}
	return reason, nil
}

// NameKey is how names are compared for "already taken": case and
// spacing do not make two people at a table distinguishable.
func NameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// ValidQuantity checks a quantity.
func ValidQuantity(q int) error {
	if q < 0 || q > MaxQuantity {
		return Invalidf("quantity must be between 0 and %d", MaxQuantity)
	}
	return nil
}

// CheckItemID keeps ids printable and free of the separator used in the
// choices hash field ("<memberId>|<menuId>").
func CheckItemID(id string) error {
	if len(id) > MaxItemIDLen {
		return Invalidf("must be at most %d characters", MaxItemIDLen)
	}
	for _, r := range id {
		ok := r < utf8.RuneSelf && (r == '-' || r == '_' || r == '.' || r == '~' ||
			(r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
		if !ok {
			return Invalidf("may only contain letters, digits and - _ . ~")
		}
	}
	return nil
}

// cleanText normalises text people typed and checks it: Unicode NFC (so
// the same name typed on two phones is the same bytes), line breaks as LF
// (descriptions only; names are one line), spaces trimmed. It counts
// characters, not bytes, so a Thai or Korean name gets the same room as a
// Latin one, and refuses control characters and invisible format
// characters (bidi overrides that reorder what others see, zero-width
// spaces that make two names look alike), except a zero-width joiner or
// non-joiner between two visible characters, which Persian, Indic
// scripts and emoji sequences need.
func cleanText(s string, min, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalidf("must be valid UTF-8")
	}
	s = norm.NFC.String(s)
	if multiline {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < min {
		if min == 1 {
			return "", Invalidf("must not be empty")
		}
		return "", Invalidf("must be at least %d characters", min)
	}
	if n > max {
		return "", Invalidf("must be at most %d characters (got %d)", max, n)
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')):
			return "", Invalidf("must not contain control characters")
		case r == '\u2028' || r == '\u2029':
			return "", Invalidf("must not contain line or paragraph separators")
		case unicode.Is(unicode.Cf, r):
			joiner := r == '\u200c' || r == '\u200d'
			if !joiner || i == 0 || i == len(rs)-1 || unicode.Is(unicode.Cf, rs[i-1]) || unicode.IsSpace(rs[i-1]) || unicode.IsSpace(rs[i+1]) {
				return "", Invalidf("must not contain invisible formatting characters (U+%04X)", r)
			}
		}
	}
	return s, nil
}

// ValidRoomID reports whether id has the shape of a room id, so malformed
// ids are answered without a Redis round trip.
func ValidRoomID(id string) bool { return len(id) == encodedRoomIDLen && urlSafe(id) }

// ValidMemberID reports whether id has the shape of a member id.
func ValidMemberID(id string) bool { return len(id) == encodedMemberIDLen && urlSafe(id) }

func urlSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return true
}

// Tag names a room in logs without giving it away: a room id is a
// capability (anyone holding it can join), a log line is read by many.
// Eight hex digits of its SHA-256 tell rooms apart in an incident.
func Tag(roomID string) string {
	sum := sha256.Sum256([]byte(roomID))
	return "room~" + hex.EncodeToString(sum[:4])
}

// NewRoomID mints an unguessable room id.
func NewRoomID() string {
	var b [roomIDBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NewMemberID mints a member id.
func NewMemberID() string {
	var b [memberIDBytes]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
