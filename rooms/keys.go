package rooms

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/menusync/menusync"
)

// ChannelPrefix starts every room channel name; the room id sits in a hash
// tag so that the channel and the room's keys share one cluster slot.
const ChannelPrefix = "room:{"

// Channel returns the pub/sub channel of a room.
func Channel(roomID string) string { return ChannelPrefix + roomID + "}:events" }

// RoomOfChannel is the inverse of Channel.
func RoomOfChannel(ch string) (string, bool) {
	rest, ok := strings.CutPrefix(ch, ChannelPrefix)
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(rest, "}:events")
	return id, ok && menusync.ValidRoomID(id)
}

var errBadEvent = errors.New("malformed room event")

// ParseEvent decodes a message published by the scripts in lua/. The
// message is "<epoch>\n<version>\n<type>\n<publish unix µs>\n<json>",
// where the JSON already holds the version and epoch: the Lua script
// splices them after a prefix built in Go, so no replica has to re-encode
// a delta and Lua needs no JSON library (miniredis has none). The format
// is the store's business; the Event is the domain's.
func ParseEvent(payload string) (menusync.Event, error) {
	epoch, payload, ok0 := strings.Cut(payload, "\n")
	if !ok0 || !menusync.ValidEpoch(epoch) {
		return menusync.Event{}, errBadEvent
	}
	v, rest, ok1 := strings.Cut(payload, "\n")
	typ, rest, ok2 := strings.Cut(rest, "\n")
	ts, data, ok3 := strings.Cut(rest, "\n")
	// The data becomes one SSE data line: a line break in it (from a stray
	// publisher on our channel) could start a field of its own.
	if !ok1 || !ok2 || !ok3 || typ == "" || data == "" || strings.ContainsAny(data, "\r\n") || !validType(typ) {
		return menusync.Event{}, errBadEvent
	}
	ver, err := strconv.ParseUint(v, 10, 64)
	if err != nil || ver == 0 {
		return menusync.Event{}, errBadEvent
	}
	us, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return menusync.Event{}, errBadEvent
	}
	return menusync.Event{Epoch: epoch, Version: ver, Type: typ, PublishedAt: time.UnixMicro(us), Data: []byte(data)}, nil
}

func validType(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= 'a' && c <= 'z') {
			return false
		}
	}
	return len(t) <= 32
}

// keys of one room; all share the {id} hash tag, so one script may touch
// them all on a cluster.
type keys struct {
	room, members, choices, items, left, names string
	dishnames, done                            string
	conns, online, nconn                       string
}

func keysOf(id string) keys {
	base := ChannelPrefix + id + "}"
	return keys{room: base, members: base + ":members", choices: base + ":choices", items: base + ":items",
		left: base + ":left", names: base + ":names", dishnames: base + ":dishnames", done: base + ":done",
		conns: base + ":conns", online: base + ":online", nconn: base + ":nconn"}
}

// writeKeys are the keys of the write scripts' calling convention.
func (k keys) writeKeys() []string {
	return []string{k.room, k.members, k.choices, k.items, k.left, k.names, k.dishnames, k.done}
}
