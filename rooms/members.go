package rooms

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/menusync/menusync"
)

// Join adds a member to a room. A retry with the same idempotency key
// returns the member the first call created. A room whose order is locked
// takes no new members.
func (s *Store) Join(ctx context.Context, roomID, name string, o WriteOpts) (menusync.Member, Result, error) {
	name, err := menusync.CleanMemberName(name)
	if err != nil {
		return menusync.Member{}, Result{}, err
	}
	return s.join(ctx, roomID, name, o, false)
}

// join adds a member; asHost makes them the host of a room without one
// (its creator). The creator's join has a scope of its own, so no
// client's key can replay it.
func (s *Store) join(ctx context.Context, roomID, name string, o WriteOpts, asHost bool) (menusync.Member, Result, error) {
	id := menusync.NewMemberID()
	scope, host := "join", "0"
	if asHost {
		scope, host = "create", "1"
	}
	r, err := s.run(ctx, joinScript, roomID, scope, o, name, menusync.TypeMember, "", id, jsonBody(name), menusync.NameKey(name), menusync.MaxMembers, roomForNumber(name), host)
	if err != nil {
		return menusync.Member{}, Result{}, err
	}
	var m menusync.Member
	if err := json.Unmarshal([]byte(r.extra), &m); err != nil {
		return menusync.Member{}, Result{}, fmt.Errorf("joined member: %w", err)
	}
	return m, r.Result, nil
}

// jsonBody is s as the inside of a JSON string, for the scripts to splice.
func jsonBody(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b[1 : len(b)-1])
}

// roomForNumber tells the scripts whether a taken name can become
// "<name> <n>" within the length limit (" 64" is three characters).
func roomForNumber(name string) string {
	if utf8.RuneCountInString(name)+3 <= menusync.MaxMemberNameLen {
		return "1"
	}
	return "0"
}

// Leave takes target out of the room, on actor's request: a member takes
// themselves out (reason left), the host anyone (reason removed). With
// keepChoices their choices stay in the order (and their name with them,
// under Snapshot.Left); without, their choices go too.
func (s *Store) Leave(ctx context.Context, roomID, actor, target string, keepChoices bool, o WriteOpts) (Result, error) {
	reason := menusync.ReasonLeft
	if actor != target {
		reason = menusync.ReasonRemoved
	}
	prefix := `{"memberId":"` + target + `","reason":"` + reason + `","keepChoices":` + strconv.FormatBool(keepChoices) + `,`
	keep := boolArg(keepChoices)
	r, err := s.run(ctx, leaveScript, roomID, actor, o, "leave:"+target+":"+keep, menusync.TypeLeft, prefix, actor, target, keep, reason)
	return r.Result, err
}

func boolArg(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Rename gives a member a new name; a name someone else has becomes
// "<name> 2" as at joining. It returns the name the member got.
func (s *Store) Rename(ctx context.Context, roomID, memberID, name string, o WriteOpts) (string, Result, error) {
	name, err := menusync.CleanMemberName(name)
	if err != nil {
		return "", Result{}, err
	}
	r, err := s.run(ctx, memberScript, roomID, memberID, o, "name="+name, menusync.TypeRenamed, "", memberID, "name", jsonBody(name), menusync.NameKey(name), roomForNumber(name))
	if err != nil {
		return "", Result{}, err
	}
	if r.extra == "" { // unchanged
		return name, r.Result, nil
	}
	var got string
	if err := json.Unmarshal([]byte(`"`+r.extra+`"`), &got); err != nil {
		return "", Result{}, fmt.Errorf("renamed member: %w", err)
	}
	return got, r.Result, nil
}

// SetDone marks a member done choosing, or not.
func (s *Store) SetDone(ctx context.Context, roomID, memberID string, done bool, o WriteOpts) (Result, error) {
	prefix := `{"memberId":"` + memberID + `","done":` + strconv.FormatBool(done) + `,"version":`
	r, err := s.run(ctx, memberScript, roomID, memberID, o, "done="+boolArg(done), menusync.TypeDone, prefix, memberID, "done", boolArg(done), "", "0")
	return r.Result, err
}
