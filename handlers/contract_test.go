package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/menusync/menusync"
)

var (
	specOnce   sync.Once
	specRouter routers.Router
	specDoc    *openapi3.T
	specErr    error
)

// contract loads openapi.yaml once and validates it as a whole.
func contract(t testing.TB) routers.Router {
	t.Helper()
	specOnce.Do(func() {
		// The web app's files are opaque text to the validator.
		for _, ct := range []string{"text/html", "text/javascript", "text/css", "image/svg+xml"} {
			openapi3filter.RegisterBodyDecoder(ct, func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
				b, err := io.ReadAll(body)
				return string(b), err
			})
		}
		doc, err := openapi3.NewLoader().LoadFromData(menusync.OpenAPI)
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = err
			return
		}
		doc.Servers = nil // match requests to any host
		specDoc = doc
		specRouter, specErr = legacy.NewRouter(doc)
	})
	if specErr != nil {
		t.Fatalf("openapi.yaml: %v", specErr)
	}
	return specRouter
}

func TestSpecIsValid(t *testing.T) { contract(t) }

// checkEventData validates one stream event's data against the schema
// openapi.yaml names for its type (the event stream's x-events): what
// the stream sends is what the spec says, event by event.
func checkEventData(t testing.TB, event, data string) {
	t.Helper()
	contract(t)
	media := specDoc.Paths.Find("/v1/rooms/{roomId}/events").Get.Responses.Status(200).Value.Content.Get("text/event-stream")
	events, _ := media.Extensions["x-events"].(map[string]any)
	ref, _ := events[event].(map[string]any)["$ref"].(string)
	if ref == "" {
		if event != "heartbeat" {
			t.Errorf("event %q is not in openapi.yaml's x-events", event)
		}
		return
	}
	schema := specDoc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
	var v any
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Errorf("event %s: data is not JSON: %v", event, err)
		return
	}
	if err := schema.Value.VisitJSON(v); err != nil {
		t.Errorf("event %s does not match openapi.yaml (%s): %v\n%s", event, ref, err, data)
	}
}

// checked is what checkExchange learned about one request.
type checked struct {
	input    *openapi3filter.RequestValidationInput
	reqValid error
}

// checkRequest validates a request against the spec before it is sent.
// A request outside the spec is allowed (bad-input tests send them) but
// the server must then refuse it with a 4xx; see checkResponse.
func checkRequest(t testing.TB, req *http.Request, body []byte) checked {
	t.Helper()
	route, params, err := contract(t).FindRoute(req)
	if err == nil && route.Operation == nil {
		err = &routers.RouteError{Reason: "method not documented"}
	}
	for _, v := range params {
		if v == "" && err == nil {
			// the legacy router lets /v1/rooms match /v1/rooms/{roomId}
			err = &routers.RouteError{Reason: "empty path parameter"}
		}
	}
	if err != nil {
		return checked{reqValid: err}
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: clone, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	return checked{input: in, reqValid: openapi3filter.ValidateRequest(req.Context(), in)}
}

// checkResponse validates the answer: every response of a documented
// route must match the spec (status, content type, schema), and a request
// the spec rejects must have been refused.
func checkResponse(t testing.TB, c checked, status int, header http.Header, body []byte, streaming bool) {
	t.Helper()
	if c.reqValid != nil && (status < 400 || status >= 500) {
		t.Errorf("request outside the spec (%v) was answered %d, not a 4xx", c.reqValid, status)
	}
	if c.input == nil {
		var re *routers.RouteError
		if !errors.As(c.reqValid, &re) || status < 400 {
			t.Errorf("undocumented route answered %d: %v", status, c.reqValid)
		}
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: c.input, Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, ExcludeResponseBody: streaming},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d outside the spec: %v\nbody: %.300s", c.input.Request.Method, c.input.Request.URL.Path, status, err, body)
	}
}
