package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client/api"
)

// Client talks to one menusync deployment, as one member when it has a
// token (see WithToken).
type Client struct {
	base  string
	http  *http.Client
	token string
	API   *api.ClientWithResponses
	// Silences counts streams Watch gave up on because nothing, not even
	// a heartbeat, arrived for two heartbeats.
	Silences atomic.Int64
}

// New returns a client for baseURL (e.g. "http://localhost:8080").
// httpClient may be nil; it must not have a Timeout, which would cut
// event streams.
func New(baseURL string, httpClient *http.Client) (*Client, error) {
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	c := &Client{base: strings.TrimRight(baseURL, "/"), http: httpClient}
	var err error
	c.API, err = api.NewClientWithResponses(c.base, api.WithHTTPClient(httpClient), api.WithRequestEditorFn(c.authorize))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// WithToken returns a copy of c that acts as the member token belongs to.
func (c *Client) WithToken(token string) *Client {
	cc, _ := New(c.base, c.http)
	cc.token = token
	return cc
}

// Token is the member token in use, if any.
func (c *Client) Token() string { return c.token }

// memberID reads the member out of the token (its subject), unverified:
// only to recognise events about this client's own member.
func (c *Client) memberID() string {
	parts := strings.Split(c.token, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	_ = json.Unmarshal(b, &claims)
	return claims.Sub
}

func (c *Client) authorize(_ context.Context, req *http.Request) error {
	if c.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	// Every change is JSON, with or without a body (the server refuses
	// other types, to keep other sites' forms out).
	if req.Method != http.MethodGet && req.Method != http.MethodDelete && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// Error is an error answer of the API: its status and problem document.
type Error struct {
	Status  int
	Problem api.Problem
}

func (e *Error) Error() string {
	if e.Problem.Detail != nil {
		return fmt.Sprintf("%d %s: %s", e.Status, e.Problem.Code, *e.Problem.Detail)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Problem.Code)
}

func apiError(resp *http.Response, body []byte) error {
	e := &Error{Status: resp.StatusCode}
	if err := json.Unmarshal(body, &e.Problem); err != nil || e.Problem.Code == "" {
		e.Problem.Code = "unexpected"
		d := strings.TrimSpace(string(body))
		if len(d) > 200 {
			d = d[:200]
		}
		e.Problem.Detail = &d
	}
	return e
}

// Joined is a new member and the token to act as them (WithToken).
type Joined struct {
	Member   menusync.Member   `json:"member"`
	Token    string            `json:"token"`
	Position menusync.Position `json:"-"`
	Version  uint64            `json:"version"`
	Epoch    string            `json:"epoch"`
}

// Join adds a member; use WithToken(result.Token) to act as them.
func (c *Client) Join(ctx context.Context, roomID, name string) (*Joined, error) {
	j, err := post[Joined](ctx, http.StatusCreated, func(key string) (*http.Response, []byte, error) {
		resp, err := c.API.JoinRoomWithResponse(ctx, roomID, &api.JoinRoomParams{IdempotencyKey: &key}, api.JoinRoomJSONRequestBody{Name: name})
		if err != nil {
			return nil, nil, err
		}
		return resp.HTTPResponse, resp.Body, nil
	})
	if err != nil {
		return nil, err
	}
	j.Position = menusync.Position{Epoch: j.Epoch, Version: j.Version}
	return j, nil
}

// changed is the answer to a change: where it left the room.
type changed struct {
	Version uint64 `json:"version"`
	Epoch   string `json:"epoch"`
}

func (a *changed) pos() menusync.Position {
	return menusync.Position{Epoch: a.Epoch, Version: a.Version}
}

// Choose sets this member's quantity of one dish (0 removes it) and
// returns the room's position with it.
func (c *Client) Choose(ctx context.Context, roomID, menuID string, quantity int) (menusync.Position, error) {
	a, err := post[changed](ctx, http.StatusOK, func(key string) (*http.Response, []byte, error) {
		resp, err := c.API.SetChoiceWithResponse(ctx, roomID, &api.SetChoiceParams{IdempotencyKey: &key}, api.SetChoiceJSONRequestBody{MenuId: menuID, Quantity: quantity})
		if err != nil {
			return nil, nil, err
		}
		return resp.HTTPResponse, resp.Body, nil
	})
	if err != nil {
		return menusync.Position{}, err
	}
	return a.pos(), nil
}

// Refresh tells every client of the room to refetch.
func (c *Client) Refresh(ctx context.Context, roomID string) (menusync.Position, error) {
	a, err := post[changed](ctx, http.StatusAccepted, func(key string) (*http.Response, []byte, error) {
		resp, err := c.API.RefreshRoomWithResponse(ctx, roomID, &api.RefreshRoomParams{IdempotencyKey: &key})
		if err != nil {
			return nil, nil, err
		}
		return resp.HTTPResponse, resp.Body, nil
	})
	if err != nil {
		return menusync.Position{}, err
	}
	return a.pos(), nil
}

// Leave takes this member out of the room; keepChoices leaves their
// choices in the order. The token stops working.
func (c *Client) Leave(ctx context.Context, roomID string, keepChoices bool) error {
	_, err := c.Remove(ctx, roomID, "me", keepChoices)
	return err
}

// Snapshot reads the whole room. It decodes into the server's own types,
// which the local state in Watch is made of.
func (c *Client) Snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, error) {
	s, _, err := c.snapshot(ctx, roomID)
	return s, err
}

// snapshot also says the server's heartbeat interval (zero if unsaid).
func (c *Client) snapshot(ctx context.Context, roomID string) (*menusync.Snapshot, time.Duration, error) {
	resp, err := c.API.GetRoomWithResponse(ctx, roomID)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode() != http.StatusOK {
		return nil, 0, apiError(resp.HTTPResponse, resp.Body)
	}
	var s menusync.Snapshot
	if err := json.Unmarshal(resp.Body, &s); err != nil {
		return nil, 0, fmt.Errorf("decode snapshot: %w", err)
	}
	hb, _ := strconv.Atoi(resp.HTTPResponse.Header.Get("X-Menusync-Heartbeat"))
	return &s, time.Duration(hb) * time.Second, nil
}

// ErrorFrom turns a non-2xx answer of the generated client into an
// *Error; it returns nil for a 2xx.
func ErrorFrom(resp *http.Response, body []byte) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return apiError(resp, body)
}

// MemberOf is the member the client acts as (from its token), or "".
func MemberOf(c *Client) string { return c.memberID() }
