package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// TestREADMECurlSession runs the README's curl session against the binary
// as a new user starts it (embedded store) and checks each answer has the
// shape the README shows: the same keys, the same versions, statuses and
// codes. Ids, tokens and times differ from run to run and are not
// compared. So the transcript stays true as the API changes.
func TestREADMECurlSession(t *testing.T) {
	rep := testproc.StartReplica(t, "readme", "REDIS_URL=", "MENUSYNC_SECRET=")
	steps := readmeBlock(t, "## A session with curl")
	s := &session{t: t, base: rep.URL(), vars: map[string]string{}}
	for _, st := range steps {
		s.step(st)
	}
	if s.commands < 8 || s.checked < 7 || s.streamed < 3 {
		t.Fatalf("ran %d commands and checked %d stream events: the transcript was not read", s.commands, s.streamed)
	}
}

// readmeBlock returns the lines of the first fenced block after heading.
func readmeBlock(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testproc.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", heading)
	}
	_, after, _ = strings.Cut(after, "```sh\n")
	block, _, _ := strings.Cut(after, "```")
	return strings.Split(block, "\n")
}

type session struct {
	t        *testing.T
	base     string
	vars     map[string]string
	cont     string
	last     map[string]any    // the last JSON answer
	text     []string          // the lines of a text answer not yet checked
	event    map[string]string // the last stream event
	stream   *bufio.Reader
	commands int
	checked  int
	streamed int
}

var comment = regexp.MustCompile(`\s{2,}#.*$`)

func (s *session) step(line string) {
	t := s.t
	if s.cont != "" || strings.HasPrefix(line, "$ ") {
		cmd := s.cont + strings.TrimPrefix(line, "$ ")
		if strings.HasSuffix(cmd, `\`) {
			s.cont = strings.TrimSuffix(cmd, `\`)
			return
		}
		s.cont = ""
		s.run(comment.ReplaceAllString(cmd, ""))
		return
	}
	if s.text != nil {
		// a text answer: the README shows it line by line
		if line == "" {
			if len(s.text) > 0 {
				t.Fatalf("the README leaves out %q", s.text)
			}
			s.text = nil
			return
		}
		if len(s.text) == 0 || s.text[0] != line {
			t.Fatalf("the README shows %q, the server sent %q", line, s.text)
		}
		s.text = s.text[1:]
		s.checked++
		return
	}
	line = comment.ReplaceAllString(line, "")
	switch {
	case strings.HasPrefix(line, "{"):
		sameShape(t, "answer", line, s.last)
		s.checked++
	case strings.HasPrefix(line, "id: "):
		s.checkEvent(line)
	case strings.HasPrefix(line, "event: ") && strings.TrimPrefix(line, "event: ") != s.event["event"]:
		t.Fatalf("the README's %q came as event %q", line, s.event["event"])
	case strings.HasPrefix(line, "data: "):
		var got map[string]any
		if err := json.Unmarshal([]byte(s.event["data"]), &got); err != nil {
			t.Fatalf("event data %q: %v", s.event["data"], err)
		}
		sameShape(t, "event "+s.event["event"], strings.TrimPrefix(line, "data: "), got)
	}
}

// run carries out one command: a variable assignment (bound to what the
// last answer holds: the room's id, a member's token) or a curl.
func (s *session) run(cmd string) {
	t := s.t
	if name, value, ok := strings.Cut(cmd, "="); ok && !strings.Contains(name, " ") {
		creator, _ := s.last["creator"].(map[string]any)
		switch {
		case name == "J":
			s.vars["J"] = "Content-Type: application/json"
		case !strings.HasPrefix(value, "eyJ"):
			s.vars[name] = s.last["id"].(string)
		case s.last["token"] != nil:
			s.vars[name] = s.last["token"].(string)
		case creator != nil:
			s.vars[name] = creator["token"].(string)
		default:
			t.Fatalf("%s: the last answer has no token", cmd)
		}
		return
	}
	for k, v := range s.vars {
		cmd = strings.ReplaceAll(cmd, "$"+k, v)
	}
	args := shellWords(t, cmd)
	if args[0] != "curl" {
		t.Fatalf("the curl session runs %q", cmd)
	}
	s.commands++
	method, url, body, stream := "GET", "", "", false
	var hdr [][2]string
	for i := 1; i < len(args); i++ {
		switch a := args[i]; a {
		case "-s":
		case "-N":
			stream = true
		case "-X":
			i++
			method = args[i]
		case "-H":
			i++
			k, v, _ := strings.Cut(args[i], ": ")
			hdr = append(hdr, [2]string{k, v})
		case "-d":
			i++
			body = args[i]
		default:
			url = s.base + strings.TrimPrefix(a, "localhost:8080")
		}
	}
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for _, h := range hdr {
		req.Header.Set(h[0], h[1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if stream {
		s.stream = bufio.NewReader(resp.Body)
		t.Cleanup(func() { resp.Body.Close() })
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	s.last, s.text = nil, nil
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		s.text = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		return
	}
	if err := json.Unmarshal(b, &s.last); err != nil {
		t.Fatalf("%s: not JSON: %s", cmd, b)
	}
}

// checkEvent reads the stream's next event (heartbeats aside) and checks
// it is the one the README shows from its id line on.
func (s *session) checkEvent(idLine string) {
	t := s.t
	s.streamed++
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ev := readEvent(t, s.stream)
		if ev["event"] == "heartbeat" || ev["event"] == "" {
			continue
		}
		_, wantV, _ := strings.Cut(strings.TrimPrefix(idLine, "id: "), ".")
		if _, gotV, _ := strings.Cut(ev["id"], "."); gotV != wantV {
			t.Fatalf("the README's event %q came as id %q", idLine, ev["id"])
		}
		s.event = ev
		return
	}
	t.Fatalf("no event for %q", idLine)
}

func readEvent(t *testing.T, r *bufio.Reader) map[string]string {
	ev := map[string]string{}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return ev
		}
		k, v, _ := strings.Cut(line, ": ")
		ev[k] = v
	}
}

// sameShape compares an answer the README shows (with "..." where it
// leaves things out) to the real one: the same top-level keys, and the
// same versions, statuses and codes.
func sameShape(t *testing.T, what, readme string, got map[string]any) {
	t.Helper()
	fields := topLevel(readme)
	var want, have []string
	for k := range fields {
		want = append(want, k)
	}
	for k := range got {
		have = append(have, k)
	}
	slices.Sort(want)
	slices.Sort(have)
	if !slices.Equal(want, have) {
		t.Fatalf("%s: the README shows keys %v, the server sent %v\n%s", what, want, have, readme)
	}
	for _, k := range []string{"version", "status", "code", "title"} {
		if v, ok := fields[k]; ok {
			g, _ := json.Marshal(got[k])
			if string(g) != v {
				t.Fatalf("%s: the README shows %s=%s, the server sent %s", what, k, v, g)
			}
		}
	}
}

// topLevel reads the top-level fields of a JSON object as the README
// writes it, "..." and all: each key with its value's text.
func topLevel(s string) map[string]string {
	out := map[string]string{}
	depth, inStr, esc := 0, false, false
	key, start := "", -1
	for i, c := range s {
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
			if !inStr && depth == 1 && key == "" && start < 0 {
				if j := strings.IndexByte(s[i+1:], ':'); j >= 0 && strings.TrimSpace(s[i+1:i+1+j]) == "" {
					key, start = s[strings.LastIndex(s[:i], "\"")+1:i], i+2+j
				}
			}
		case inStr:
		case c == '{' || c == '[':
			depth++
		case (c == ',' && depth == 1) || ((c == '}' || c == ']') && depth == 1):
			if key != "" {
				out[key] = strings.TrimSpace(s[start:i])
			}
			key, start = "", -1
			if c != ',' {
				depth--
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return out
}

// shellWords splits a command line as a shell would: words, with '...'
// and "..." quoting.
func shellWords(t *testing.T, line string) []string {
	var out []string
	var cur strings.Builder
	quote, inWord := rune(0), false
	for _, c := range line {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unbalanced quotes in %q", line)
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}
