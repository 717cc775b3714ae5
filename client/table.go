package client

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client/api"
)

// NewRoom is what a room is opened with.
type NewRoom struct {
	Menu     []menusync.MenuItem `json:"menu"`
	Name     string              `json:"name,omitempty"`
	Currency string              `json:"currency,omitempty"` // ISO 4217; "" for none
	// CreatorName, when set, makes the creator the first member and the
	// host; Created.Creator then acts as them.
	CreatorName string        `json:"creatorName,omitempty"`
	TTL         time.Duration `json:"-"` // zero: the server's default
	TTLSeconds  int64         `json:"ttlSeconds,omitempty"`
}

// Created is a new room, and its creator (the host) when NewRoom named one.
type Created struct {
	menusync.Room
	Creator *Joined `json:"creator,omitempty"`
}

// CreateRoom opens a room.
func (c *Client) CreateRoom(ctx context.Context, in NewRoom) (*Created, error) {
	in.TTLSeconds = int64(in.TTL / time.Second)
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	r, err := post[Created](ctx, http.StatusCreated, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.CreateRoomWithBodyWithResponse(ctx, &api.CreateRoomParams{IdempotencyKey: &key}, "application/json", bytes.NewReader(b))
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
	if r != nil && r.Creator != nil {
		r.Creator.Position = menusync.Position{Epoch: r.Creator.Epoch, Version: r.Creator.Version}
	}
	return r, err
}

// SetChoice sets this member's choice of one dish, with its note and
// whether it is for the table (quantity 0 removes it).
func (c *Client) SetChoice(ctx context.Context, roomID string, ch menusync.Choice) (menusync.Position, error) {
	body := api.SetChoiceJSONRequestBody{MenuId: ch.MenuID, Quantity: ch.Quantity, Shared: &ch.Shared}
	if ch.Note != "" {
		body.Note = &ch.Note
	}
	return c.changed(ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.SetChoiceWithResponse(ctx, roomID, &api.SetChoiceParams{IdempotencyKey: &key}, body)
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
}

// UpdateRoom changes the host's settings (the host only).
func (c *Client) UpdateRoom(ctx context.Context, roomID string, in menusync.Settings) (menusync.Position, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return menusync.Position{}, err
	}
	return c.changed(ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.UpdateRoomWithBodyWithResponse(ctx, roomID, &api.UpdateRoomParams{IdempotencyKey: &key}, "application/json", bytes.NewReader(b))
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
}

// Lock locks (or unlocks) the order (the host only).
func (c *Client) Lock(ctx context.Context, roomID string, locked bool) (menusync.Position, error) {
	return c.UpdateRoom(ctx, roomID, menusync.Settings{Locked: &locked})
}

// Close closes the table for everyone (the host only).
func (c *Client) Close(ctx context.Context, roomID, reason string) (menusync.Position, error) {
	return c.changed(ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.CloseRoomWithResponse(ctx, roomID, &api.CloseRoomParams{IdempotencyKey: &key}, api.CloseRoomJSONRequestBody{Reason: &reason})
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
}

// Remove takes a member out (the host only, or a member themselves);
// keepChoices leaves their choices in the order.
func (c *Client) Remove(ctx context.Context, roomID, memberID string, keepChoices bool) (menusync.Position, error) {
	choices := api.Remove
	if keepChoices {
		choices = api.Keep
	}
	return c.changed(ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.LeaveRoomWithResponse(ctx, roomID, memberID, &api.LeaveRoomParams{IdempotencyKey: &key, Choices: &choices})
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
}

// SetDone says this member is done choosing, or not.
func (c *Client) SetDone(ctx context.Context, roomID string, done bool) (menusync.Position, error) {
	return c.changed(ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.UpdateMemberWithResponse(ctx, roomID, "me", &api.UpdateMemberParams{IdempotencyKey: &key}, api.UpdateMemberJSONRequestBody{Done: &done})
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
}

// Rename gives this member a new name and returns the name they got
// ("Ana 2" when someone is Ana already).
func (c *Client) Rename(ctx context.Context, roomID, name string) (string, menusync.Position, error) {
	a, err := post[struct {
		changed
		Name string `json:"name"`
	}](ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.UpdateMemberWithResponse(ctx, roomID, "me", &api.UpdateMemberParams{IdempotencyKey: &key}, api.UpdateMemberJSONRequestBody{Name: &name})
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
	if err != nil {
		return "", menusync.Position{}, err
	}
	return a.Name, a.pos(), nil
}

// ReplaceMenu is the host's edit of the menu; it returns the menu as
// stored (new dishes with their ids).
func (c *Client) ReplaceMenu(ctx context.Context, roomID string, menu []menusync.MenuItem) ([]menusync.MenuItem, menusync.Position, error) {
	b, err := json.Marshal(struct {
		Menu []menusync.MenuItem `json:"menu"`
	}{menu})
	if err != nil {
		return nil, menusync.Position{}, err
	}
	a, err := post[struct {
		changed
		Menu []menusync.MenuItem `json:"menu"`
	}](ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.ReplaceMenuWithBodyWithResponse(ctx, roomID, &api.ReplaceMenuParams{IdempotencyKey: &key}, "application/json", bytes.NewReader(b))
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
	if err != nil {
		return nil, menusync.Position{}, err
	}
	return a.Menu, a.pos(), nil
}

// NameDish names a dish in a language for everyone (a translation, or a
// correction of a suggestion).
func (c *Client) NameDish(ctx context.Context, roomID, menuID, lang, name string) (menusync.Position, error) {
	return c.changed(ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		r, err := c.API.NameDishWithResponse(ctx, roomID, menuID, lang, &api.NameDishParams{IdempotencyKey: &key}, api.NameDishJSONRequestBody{Name: name})
		if err != nil {
			return nil, nil, err
		}
		return r.HTTPResponse, r.Body, nil
	})
}

// Order is the order for the staff.
func (c *Client) Order(ctx context.Context, roomID string) (*menusync.StaffOrder, error) {
	resp, err := c.API.GetOrderWithResponse(ctx, roomID, nil)
	if err != nil {
		return nil, err
	}
	return decoded[menusync.StaffOrder](resp.HTTPResponse, resp.Body)
}

// OrderText is the order for the staff as text to copy.
func (c *Client) OrderText(ctx context.Context, roomID string) (string, error) {
	f := api.GetOrderParamsFormatText
	resp, err := c.API.GetOrderWithResponse(ctx, roomID, &api.GetOrderParams{Format: &f})
	if err != nil {
		return "", err
	}
	if err := ErrorFrom(resp.HTTPResponse, resp.Body); err != nil {
		return "", err
	}
	return string(resp.Body), nil
}

// ParseMenu reads a pasted menu into a draft; nothing is created.
func (c *Client) ParseMenu(ctx context.Context, text, currency, lang string) (*menusync.Draft, error) {
	body := api.ParseMenuJSONRequestBody{Text: text}
	if currency != "" {
		body.Currency = &currency
	}
	if lang != "" {
		body.Lang = &lang
	}
	resp, err := c.API.ParseMenuWithResponse(ctx, body)
	if err != nil {
		return nil, err
	}
	return decoded[menusync.Draft](resp.HTTPResponse, resp.Body)
}

// ScanMenu reads a photo of a menu (JPEG, PNG or WebP) into a draft.
func (c *Client) ScanMenu(ctx context.Context, img io.Reader, contentType, currency, lang string) (*menusync.Draft, error) {
	p := &api.ScanMenuParams{}
	if currency != "" {
		p.Currency = &currency
	}
	if lang != "" {
		p.Lang = &lang
	}
	resp, err := c.API.ScanMenuWithBodyWithResponse(ctx, p, contentType, img)
	if err != nil {
		return nil, err
	}
	return decoded[menusync.Draft](resp.HTTPResponse, resp.Body)
}

func decoded[T any](resp *http.Response, body []byte) (*T, error) {
	if resp.StatusCode != http.StatusOK {
		return nil, apiError(resp, body)
	}
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// changed runs a change that answers with a position.
func (c *Client) changed(ctx context.Context, want int, call func(key string) (*http.Response, []byte, error)) (menusync.Position, error) {
	a, err := post[changed](ctx, want, call)
	if err != nil {
		return menusync.Position{}, err
	}
	return a.pos(), nil
}
