package rooms

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/ownjson"
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
	p := strParser{ownjson.Cursor[string]{B: s}}
	if !p.Lit(`{"id":"`) {
		return menusync.Member{}, false
	}
	id := p.plain()
	if !p.Lit(`","name":"`) {
		return menusync.Member{}, false
	}
	name := p.plain()
	if !p.Lit(`","online":`) {
		return menusync.Member{}, false
	}
	online, ok := p.boolean()
	if !ok || !p.Lit(`,"done":`) {
		return menusync.Member{}, false
	}
	done, ok := p.boolean()
	if !ok || !p.Lit(`,"joined":`) {
		return menusync.Member{}, false
	}
	// At most 18 digits, so it fits a uint64 without overflow.
	joined, ok := p.Uint(18)
	if !ok || !p.Lit(`}`) || p.I != len(s) {
		return menusync.Member{}, false
	}
	return menusync.Member{ID: id, Name: name, Online: online, Done: done, Joined: joined}, true
}

// strParser reads the one shape memberFast accepts.
type strParser struct{ ownjson.Cursor[string] }

// plain reads a JSON string's body up to its closing quote when it is
// taken as it is: no escapes, no control characters, valid UTF-8 (which
// encoding/json would replace). Otherwise it stops early and the next
// literal fails.
func (p *strParser) plain() string {
	start := p.I
	for p.I < len(p.B) {
		c := p.B[p.I]
		if c == '"' {
			break
		}
		if c == '\\' || c < 0x20 {
			return ""
		}
		p.I++
	}
	if !utf8.ValidString(p.B[start:p.I]) {
		p.I = start
		return ""
	}
	return p.B[start:p.I]
}

func (p *strParser) boolean() (v, ok bool) {
	if p.Lit("true") {
		return true, true
	}
	return false, p.Lit("false")
}
