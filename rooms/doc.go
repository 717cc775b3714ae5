// Package rooms is the room store: the domain's rooms (package menusync)
// kept in Redis. Each change is one Lua script (lua/*.lua, embedded) that
// checks it, writes it, bumps the version, keeps the epoch and publishes
// the event, so the order of published events is the order of versions.
// A room's keys share one hash tag (keys.go names them all), so a script
// touches one cluster slot. Presence (which members have a stream open)
// and the room budget live here too.
package rooms
