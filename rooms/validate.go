package rooms

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// validateMenu checks a menu and fills in missing item ids (1-based
// positions), so a pasted list of names is enough to open a room.
func validateMenu(menu []MenuItem) ([]MenuItem, error) {
	if len(menu) == 0 {
		return nil, invalidf("menu must have at least one item")
	}
	if len(menu) > MaxMenuItems {
		return nil, invalidf("menu has %d items; the limit is %d", len(menu), MaxMenuItems)
	}
	out := make([]MenuItem, len(menu))
	seen := make(map[string]int, len(menu))
	for i, it := range menu {
		if it.ID == "" {
			it.ID = strconv.Itoa(i + 1)
		}
		if err := checkItemID(it.ID); err != nil {
			return nil, invalidf("menu[%d].id: %s", i, err.Error())
		}
		if j, dup := seen[it.ID]; dup {
			return nil, invalidf("menu[%d].id %q repeats menu[%d].id", i, it.ID, j)
		}
		seen[it.ID] = i
		it.Name = strings.TrimSpace(it.Name)
		if err := checkText(it.Name, 1, MaxItemNameLen, false); err != nil {
			return nil, invalidf("menu[%d].name: %s", i, err.Error())
		}
		it.Description = strings.TrimSpace(it.Description)
		if err := checkText(it.Description, 0, MaxDescriptionLen, true); err != nil {
			return nil, invalidf("menu[%d].description: %s", i, err.Error())
		}
		if it.Price != nil {
			p := *it.Price
			if math.IsNaN(p) || p < 0 || p > MaxPrice {
				return nil, invalidf("menu[%d].price must be between 0 and %d", i, MaxPrice)
			}
		}
		out[i] = it
	}
	return out, nil
}

// ValidTTL reports the TTL to use for a requested one (zero: default).
func validTTL(ttl time.Duration) (time.Duration, error) {
	if ttl == 0 {
		return DefaultTTL, nil
	}
	if ttl < MinTTL || ttl > MaxTTL {
		return 0, invalidf("ttlSeconds must be between %d and %d", int(MinTTL.Seconds()), int(MaxTTL.Seconds()))
	}
	return ttl.Truncate(time.Second), nil
}

// ValidMemberName trims a display name and checks it.
func validMemberName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if err := checkText(name, 1, MaxMemberNameLen, false); err != nil {
		return "", invalidf("name: %s", err.Error())
	}
	return name, nil
}

func validQuantity(q int) error {
	if q < 0 || q > MaxQuantity {
		return invalidf("quantity must be between 0 and %d", MaxQuantity)
	}
	return nil
}

// checkItemID keeps ids printable and free of the separator used in the
// choices hash field ("<memberId>|<menuId>").
func checkItemID(id string) error {
	if len(id) > MaxItemIDLen {
		return invalidf("must be at most %d characters", MaxItemIDLen)
	}
	for _, r := range id {
		ok := r < utf8.RuneSelf && (r == '-' || r == '_' || r == '.' || r == '~' ||
			(r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
		if !ok {
			return invalidf("may only contain letters, digits and - _ . ~")
		}
	}
	return nil
}

// checkText counts characters, not bytes, so a Thai or Korean name gets the
// same room as a Latin one, and rejects control characters (descriptions
// may have line breaks and tabs).
func checkText(s string, min, max int, multiline bool) error {
	if !utf8.ValidString(s) {
		return invalidf("must be valid UTF-8")
	}
	n := utf8.RuneCountInString(s)
	if n < min {
		if min == 1 {
			return invalidf("must not be empty")
		}
		return invalidf("must be at least %d characters", min)
	}
	if n > max {
		return invalidf("must be at most %d characters (got %d)", max, n)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return invalidf("must not contain control characters")
		}
	}
	return nil
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
