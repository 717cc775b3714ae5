package rooms

import (
	"embed"

	"github.com/redis/go-redis/v9"
)

// The Lua lives in lua/*.lua so it can be read and linted as Lua. A write
// script is epoch.lua + write.lua (the shared prelude: existence,
// deadline, idempotency, epoch, touch, publish) + its own part.
//
//go:embed lua/*.lua
var luaFiles embed.FS

func lua(names ...string) string {
	var s string
	for _, n := range names {
		b, err := luaFiles.ReadFile("lua/" + n + ".lua")
		if err != nil {
			panic(err) // embedded at build time: cannot happen
		}
		s += string(b) + "\n"
	}
	return s
}

// script is a Lua script the pipeliner runs. One that checks a room's
// epoch (it starts with epoch.lua) needs to know which Redis process runs
// it, and has two texts: plain, which asks INFO on every call, and pinned
// to a run id (pins.go), which knows it without asking — INFO
// was the largest single command of a write.
type script struct {
	body  string
	epoch bool
	plain *redis.Script
}

// text is the script's source for the process with run id run ("": the
// plain text).
func (s *script) text(run string) string {
	if !s.epoch {
		return s.body
	}
	return knownRun(run) + s.body
}

// knownRun is the line that tells epoch.lua the run id ("false": ask).
func knownRun(run string) string {
	if run == "" {
		return "local known_run = false\n"
	}
	return "local known_run = '" + run + "'\n"
}

func newScript(body string, epoch bool) *script {
	s := &script{body: body, epoch: epoch}
	s.plain = redis.NewScript(s.text(""))
	return s
}

func writeScript(name string) *script { return newScript(lua("epoch", "write", name), true) }

var (
	choiceScript   = writeScript("choice")
	joinScript     = writeScript("join")
	leaveScript    = writeScript("leave")
	refreshScript  = writeScript("refresh")
	memberScript   = writeScript("member")
	dishnameScript = writeScript("dishname")
	settingsScript = writeScript("settings")
	closeScript    = writeScript("close")
	menuScript     = writeScript("menu")
	snapshotScript = newScript(lua("epoch", "snapshot"), true)
	presenceScript = newScript(lua("epoch", "presence"), true)
	// Not through the pipeliner: run rarely, on their own.
	createScript = redis.NewScript(lua("create"))
	budgetScript = redis.NewScript(lua("budget"))
)

// epochScripts are the scripts a pin loads, all at once.
var epochScripts = []*script{choiceScript, joinScript, leaveScript, refreshScript, memberScript,
	dishnameScript, settingsScript, closeScript, menuScript, snapshotScript, presenceScript}
