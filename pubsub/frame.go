package pubsub

import (
	"time"

	"github.com/menusync/menusync"
)

// Frame is one SSE event, already encoded, shared by every listener of a
// room on this replica. Its bytes must not be modified.
type Frame struct {
	menusync.Position
	Type        string
	PublishedAt time.Time
	Bytes       []byte
	Data        []byte // the event's JSON alone, for long-poll answers
	// Subject is the member a left event is about, so a stream can tell
	// its own member was taken out without decoding the JSON.
	Subject string
	// Members are a snapshot's members (not those who left), so a stream
	// or long-poll can tell whether its member still belongs.
	Members []string
	// Closed: a snapshot of a table the host closed, or the closed event:
	// the stream ends after it.
	Closed bool
}

// EncodeFrame builds "id: <epoch>.<v>\nevent: <type>\ndata: <json>\n\n".
// The JSON comes from encoding/json, which escapes control characters, so
// no user text can end the data line or start a new field.
func EncodeFrame(pos menusync.Position, typ string, data []byte) []byte {
	b := make([]byte, 0, len(data)+len(typ)+len(pos.Epoch)+40)
	b = append(b, "id: "...)
	b = pos.AppendID(b)
	b = append(b, "\nevent: "...)
	b = append(b, typ...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	b = append(b, "\n\n"...)
	return b
}

// NewFrame frames one event.
func NewFrame(pos menusync.Position, typ string, data []byte, publishedAt time.Time) *Frame {
	return &Frame{Position: pos, Type: typ, PublishedAt: publishedAt, Bytes: EncodeFrame(pos, typ, data), Data: data}
}

// HasMember reports whether a snapshot frame lists memberID as a member.
func (f *Frame) HasMember(memberID string) bool {
	for _, m := range f.Members {
		if m == memberID {
			return true
		}
	}
	return false
}
