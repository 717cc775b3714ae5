package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
)

func (x cli) choose(ctx context.Context, args []string) error {
	if err := need(args, 3, "ROOM DISH QUANTITY"); err != nil {
		return err
	}
	q, err := strconv.Atoi(args[2])
	if err != nil {
		return fmt.Errorf("quantity %q is not a number", args[2])
	}
	pos, err := x.c.SetChoice(ctx, args[0], menusync.Choice{MenuID: args[1], Quantity: q, Note: x.f.note, Shared: x.f.shared})
	if err != nil {
		return err
	}
	if q == 0 {
		fmt.Fprintf(x.out, "version %d: %s removed\n", pos.Version, x.dishName(ctx, args[0], args[1]))
		return nil
	}
	fmt.Fprintf(x.out, "version %d: %d × %s%s\n", pos.Version, q, x.dishName(ctx, args[0], args[1]), choiceSuffix(x.f.note, x.f.shared))
	return nil
}

func choiceSuffix(note string, shared bool) string {
	var s string
	if shared {
		s += " (for the table)"
	}
	if note != "" {
		s += ": " + note
	}
	return s
}

// dishName is the printed name of a dish, for messages.
func (x cli) dishName(ctx context.Context, room, id string) string {
	if snap, err := x.c.Snapshot(ctx, room); err == nil {
		for _, it := range snap.Room.Menu {
			if it.ID == id {
				return it.Name
			}
		}
	}
	return id
}

// setNote sets the note on the member's choice, keeping its quantity.
func (x cli) setNote(ctx context.Context, args []string) error {
	if err := need(args, 3, "ROOM DISH TEXT"); err != nil {
		return err
	}
	snap, err := x.c.Snapshot(ctx, args[0])
	if err != nil {
		return err
	}
	me := client.MemberOf(x.c)
	for _, c := range snap.Choices {
		if c.MemberID == me && c.MenuID == args[1] {
			c.Note = args[2]
			pos, err := x.c.SetChoice(ctx, args[0], c)
			if err != nil {
				return err
			}
			fmt.Fprintf(x.out, "version %d: %d × %s%s\n", pos.Version, c.Quantity, x.dishName(ctx, args[0], args[1]), choiceSuffix(c.Note, c.Shared))
			return nil
		}
	}
	return fmt.Errorf("you have not chosen %s; choose it first (choose -note TEXT ROOM DISH QUANTITY)", args[1])
}

func (x cli) done(ctx context.Context, args []string) error {
	if len(args) != 1 && !(len(args) == 2 && args[1] == "no") {
		return fmt.Errorf("want ROOM [no]\n%s", cliUsage)
	}
	done := len(args) == 1
	pos, err := x.c.SetDone(ctx, args[0], done)
	if err != nil {
		return err
	}
	if done {
		fmt.Fprintf(x.out, "version %d: you are done choosing\n", pos.Version)
	} else {
		fmt.Fprintf(x.out, "version %d: you are choosing again\n", pos.Version)
	}
	return nil
}

func (x cli) lock(ctx context.Context, args []string) error   { return x.setLock(ctx, args, true) }
func (x cli) unlock(ctx context.Context, args []string) error { return x.setLock(ctx, args, false) }

func (x cli) setLock(ctx context.Context, args []string, locked bool) error {
	if err := need(args, 1, "ROOM"); err != nil {
		return err
	}
	pos, err := x.c.Lock(ctx, args[0], locked)
	if err != nil {
		return err
	}
	state := "locked: no more changes to the order"
	if !locked {
		state = "unlocked: choices are open again"
	}
	fmt.Fprintf(x.out, "version %d: the order is %s\n", pos.Version, state)
	return nil
}

func (x cli) remove(ctx context.Context, args []string) error {
	if err := need(args, 2, "ROOM MEMBER"); err != nil {
		return err
	}
	snap, err := x.c.Snapshot(ctx, args[0])
	if err != nil {
		return err
	}
	var who *menusync.Member
	for i, m := range snap.Members {
		if m.ID == args[1] || strings.EqualFold(m.Name, args[1]) {
			who = &snap.Members[i]
		}
	}
	if who == nil {
		return fmt.Errorf("nobody at the table is called %q", args[1])
	}
	pos, err := x.c.Remove(ctx, args[0], who.ID, x.f.keep)
	if err != nil {
		return err
	}
	kept := "their choices went with them"
	if x.f.keep {
		kept = "their choices stay in the order"
	}
	fmt.Fprintf(x.out, "version %d: %s is out; %s\n", pos.Version, who.Name, kept)
	return nil
}

func (x cli) close(ctx context.Context, args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("want ROOM [WORDS]\n%s", cliUsage)
	}
	pos, err := x.c.Close(ctx, args[0], strings.Join(args[1:], " "))
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "version %d: the table is closed\n", pos.Version)
	return nil
}

func (x cli) order(ctx context.Context, args []string) error {
	if err := need(args, 1, "ROOM"); err != nil {
		return err
	}
	text, err := x.c.OrderText(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprint(x.out, text)
	return nil
}

func (x cli) watch(ctx context.Context, args []string) error {
	if err := need(args, 1, "ROOM"); err != nil {
		return err
	}
	events, err := x.c.Watch(ctx, args[0])
	if err != nil {
		return err
	}
	for ev := range events {
		switch {
		case ev.Err != nil:
			return ev.Err
		case ev.State != nil && ev.State.Room.Closed:
			printSummary(x.out, ev.State)
			fmt.Fprintln(x.out, "the table is closed")
			return nil
		case ev.Type == menusync.TypeClosed:
			fmt.Fprintln(x.out, "the room has closed")
			return nil
		case ev.State != nil:
			printSummary(x.out, ev.State)
		}
	}
	return nil
}

// printSummary is the order and the split, as a member reads it.
func printSummary(w io.Writer, s *client.State) {
	sum := s.Summary
	cur := s.Room.Money()
	money := func(p *int64) string {
		if p == nil {
			return ""
		}
		return "  " + menusync.FormatAmountGrouped(*p, cur) + currencySuffix(cur)
	}
	names := map[string]string{}
	for _, it := range s.Room.Menu {
		names[it.ID] = it.Name
	}
	done := map[string]bool{}
	for _, m := range s.Members {
		done[m.ID] = m.Done
	}
	var state string
	switch {
	case s.Room.Closed:
		state = " · closed"
	case s.Room.Locked:
		state = " · order locked"
	}
	fmt.Fprintf(w, "— version %d: %d dishes%s%s\n", s.Position.Version, sum.Quantity, money(sum.TotalMinor), state)
	for _, it := range sum.Items {
		fmt.Fprintf(w, "  %2d × %s%s\n", it.Quantity, it.Name, money(it.TotalMinor))
	}
	for _, m := range sum.Members {
		var parts []string
		for _, l := range m.Items {
			if l.Shared {
				parts = append(parts, fmt.Sprintf("1/%d of %d × %s", l.SharedBy, l.Quantity, names[l.MenuID]))
			} else {
				parts = append(parts, fmt.Sprintf("%d × %s", l.Quantity, names[l.MenuID]))
			}
		}
		if len(parts) == 0 {
			parts = []string{"nothing yet"}
		}
		name := m.Name
		if done[m.MemberID] {
			name += " (done)"
		}
		fmt.Fprintf(w, "  %s: %s%s\n", name, strings.Join(parts, ", "), money(m.TotalMinor))
	}
}

func currencySuffix(c menusync.Currency) string {
	if c.Code == "" {
		return ""
	}
	return " " + c.Code
}
