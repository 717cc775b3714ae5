package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/menusync/menusync"
)

// decode reads one JSON object strictly: unknown fields, trailing data and
// bodies over the limit are refused before anything is written.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, dst any) error {
	return s.decodeLimit(w, r, dst, s.cfg.MaxBody)
}

// decodeLimit is decode with a limit of its own, for the bodies that
// carry a whole menu.
func (s *Server) decodeLimit(w http.ResponseWriter, r *http.Request, dst any, limit int64) error {
	if r.ContentLength > limit {
		return tooLarge(limit)
	}
	// A body must arrive in time; headers already had ReadHeaderTimeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(limit)
		}
		return errNotOneObject
	}
	return nil
}

func tooLarge(limit int64) error {
	return newError(http.StatusRequestEntityTooLarge, codeBodyTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
}

func decodeError(err error, limit int64) error {
	var (
		mbe  *http.MaxBytesError
		ne   net.Error
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		bad  = func(msg string) error { return newError(http.StatusBadRequest, codeMalformedJSON, msg) }
		name string
	)
	var inv *menusync.InvalidError
	switch {
	case errors.As(err, &inv):
		return err // a value's own check (a percentage): 422 with its message
	case errors.As(err, &mbe):
		return tooLarge(limit)
	case errors.As(err, &ne) && ne.Timeout():
		return errBodyTimeout
	case errors.Is(err, io.EOF):
		return bad("the request body is empty; a JSON object is expected")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bad("the JSON body ends too early")
	case errors.As(err, &syn):
		return bad(fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		name = typ.Field
		if name == "" {
			return bad("the body must be a JSON object")
		}
		return bad(fmt.Sprintf("field %q must be %s", name, jsonKind(typ.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return bad(strings.TrimPrefix(err.Error(), "json: ") + " is not allowed")
	}
	return bad("malformed JSON body")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "float64", "uint64":
		return "a number"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}
