package rooms

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/digits"
)

// decodeMember reads a member's stored JSON. The scripts (join.lua,
// member.lua) write exactly {"id":"…","name":"…","online":false,
// "done":false,"joined":N}; such a value with a name that needs no
// unescaping is read here directly, anything else by encoding/json, to
// the same Member (FuzzDecodeMember holds the two side by side). A
// snapshot decodes every member of the room, and json.Unmarshal of each
// was most of the snapshot's decoding in a storm of new streams.
func decodeMember(body string) (menusync.Member, error) {
	if m, ok := memberFast(body); ok {
		return m, nil
	}
	var m menusync.Member
	err := json.Unmarshal([]byte(body), &m)
	return m, err
}

func memberFast(s string) (menusync.Member, bool) {
	p := strParser{s: s}
	if !p.lit(`{"id":"`) {
		return menusync.Member{}, false
	}
	id := p.plain()
	if !p.lit(`","name":"`) {
		return menusync.Member{}, false
	}
	name := p.plain()
	if !p.lit(`","online":`) || !p.boolean() || !p.lit(`,"done":`) || !p.boolean() || !p.lit(`,"joined":`) {
		return menusync.Member{}, false
	}
	joined, ok := p.uint()
	if !ok || !p.lit(`}`) || p.i != len(s) {
		return menusync.Member{}, false
	}
	return menusync.Member{ID: id, Name: name, Online: s[p.onlineAt] == 't', Done: s[p.doneAt] == 't', Joined: joined}, true
}

// strParser reads the one shape memberFast accepts.
type strParser struct {
	s                string
	i                int
	onlineAt, doneAt int // where the booleans start
	bools            int
}

func (p *strParser) lit(l string) bool {
	if len(p.s)-p.i < len(l) || p.s[p.i:p.i+len(l)] != l {
		return false
	}
	p.i += len(l)
	return true
}

// plain reads a JSON string's body up to its closing quote when it is
// taken as it is: no escapes, no control characters, valid UTF-8 (which
// encoding/json would replace). Otherwise it stops early and the next
// literal fails.
func (p *strParser) plain() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			break
		}
		if c == '\\' || c < 0x20 {
			return ""
		}
		p.i++
	}
	if !utf8.ValidString(p.s[start:p.i]) {
		p.i = start
		return ""
	}
	return p.s[start:p.i]
}

func (p *strParser) boolean() bool {
	at := p.i
	if !p.lit("true") && !p.lit("false") {
		return false
	}
	if p.bools == 0 {
		p.onlineAt = at
	} else {
		p.doneAt = at
	}
	p.bools++
	return true
}

// uint reads a whole number without a sign or leading zeros, of at most
// 18 digits (so it fits a uint64 without overflow).
func (p *strParser) uint() (uint64, bool) {
	n, end, ok := digits.Read(p.s, p.i, 18)
	p.i = end
	return n, ok
}
