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

func writeScript(name string) *redis.Script { return redis.NewScript(lua("epoch", "write", name)) }

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
	createScript   = redis.NewScript(lua("create"))
	budgetScript   = redis.NewScript(lua("budget"))
	snapshotScript = redis.NewScript(lua("epoch", "snapshot"))
	presenceScript = redis.NewScript(lua("epoch", "presence"))
)
