// Package pubsub is a replica's side of the room channels: one Redis
// pub/sub connection per replica, subscribed to a room's channel only while
// local listeners want it, and a fan-out that never waits for a listener.
//
// Each delta is framed once per replica and the same bytes go to every
// local listener. Listeners keep their own position (the last version they
// wrote); anything they cannot apply in order — a gap in versions, a full
// buffer, a Redis reconnect — is repaired with a snapshot, never by waiting.
package pubsub

import (
	"strconv"
	"time"
)

// Frame is one SSE event, already encoded, shared by every listener of a
// room on this replica. Its bytes must not be modified.
type Frame struct {
	Version     uint64
	Type        string
	PublishedAt time.Time
	Bytes       []byte
	Data        []byte // the event's JSON alone, for long-poll answers
}

// EncodeFrame builds "id: <v>\nevent: <type>\ndata: <json>\n\n". The JSON
// comes from encoding/json, which escapes control characters, so no user
// text can end the data line or start a new field.
func EncodeFrame(version uint64, typ string, data []byte) []byte {
	b := make([]byte, 0, len(data)+len(typ)+40)
	b = append(b, "id: "...)
	b = strconv.AppendUint(b, version, 10)
	b = append(b, "\nevent: "...)
	b = append(b, typ...)
	b = append(b, "\ndata: "...)
	b = append(b, data...)
	b = append(b, "\n\n"...)
	return b
}

// NewFrame frames one event.
func NewFrame(version uint64, typ string, data []byte, publishedAt time.Time) *Frame {
	return &Frame{Version: version, Type: typ, PublishedAt: publishedAt, Bytes: EncodeFrame(version, typ, data), Data: data}
}
