package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/internal/testproc"
)

// TestREADMECLISession runs the README's CLI session against a server in
// this process and checks that every line the README shows is printed,
// with ids, tokens and times free to differ.
func TestREADMECLISession(t *testing.T) {
	url := startInProcess(t)
	b, err := os.ReadFile(filepath.Join(testproc.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(b), "\n## From a terminal: the CLI\n")
	_, after, _ = strings.Cut(after, "```sh\n")
	block, _, _ := strings.Cut(after, "```")
	s := &cliSession{t: t, url: url, dir: t.TempDir(), vars: map[string]string{}, watch: &testproc.Buffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.ctx = ctx
	for _, line := range strings.Split(block, "\n") {
		s.line(line)
	}
	s.flush()
	if s.checked < 20 {
		t.Fatalf("checked %d lines: the transcript was not read", s.checked)
	}
}

type cliSession struct {
	t        *testing.T
	ctx      context.Context
	url, dir string
	vars     map[string]string
	out      string           // what the last command printed
	watch    *testproc.Buffer // what the watch prints
	file     *strings.Builder // a cat'ed file being read
	want     []string         // lines the README shows for the current output
	inWatch  bool             // the lines shown are the watch's
	checked  int
}

var trailing = regexp.MustCompile(`\s{2,}#.*$`)

func (s *cliSession) line(line string) {
	if !strings.HasPrefix(line, "$ ") {
		switch {
		case s.file != nil:
			s.file.WriteString(line + "\n")
		case strings.HasPrefix(line, "# meanwhile"):
			s.flush()
			s.inWatch = true
		case line != "" && !strings.HasPrefix(line, "#"):
			s.want = append(s.want, line)
		}
		return
	}
	s.flush()
	cmd := trailing.ReplaceAllString(strings.TrimPrefix(line, "$ "), "")
	words := shellFields(cmd)
	switch {
	case words[0] == "go":
	case words[0] == "cat":
		s.file = &strings.Builder{}
		s.vars["file"] = filepath.Join(s.dir, words[1])
	case len(words) == 1 && strings.Contains(cmd, "="):
		s.bind(strings.SplitN(cmd, "=", 2)[0])
	default:
		s.run(words)
	}
}

// bind gives ROOM the room the last command created, and a member's
// variable the token the last join printed.
func (s *cliSession) bind(name string) {
	re := `export MENUSYNC_TOKEN=(\S+)`
	if name == "ROOM" {
		re = `(?m)^room (\S+)$`
	}
	m := regexp.MustCompile(re).FindStringSubmatch(s.out)
	if m == nil {
		s.t.Fatalf("nothing to bind %s to in %q", name, s.out)
	}
	s.vars[name] = m[1]
}

func (s *cliSession) run(words []string) {
	env := []string{"MENUSYNC_URL", s.url}
	for len(words) > 0 && strings.Contains(words[0], "=") {
		k, v, _ := strings.Cut(words[0], "=")
		env = append(env, k, s.expand(v))
		words = words[1:]
	}
	args := []string{}
	for _, w := range words[1:] {
		if s.vars["file"] != "" && w == filepath.Base(s.vars["file"]) {
			w = s.vars["file"]
		}
		args = append(args, s.expand(w))
	}
	if args[0] == "watch" {
		go func() { _ = run(s.ctx, args, envOf(env...), s.watch) }()
		s.inWatch = true
		return
	}
	s.inWatch = false
	out := &testproc.Buffer{}
	if err := run(context.Background(), args, envOf(env...), out); err != nil {
		s.t.Fatalf("menusync %v: %v\n%s", args, err, out)
	}
	s.out = out.String()
}

func (s *cliSession) expand(w string) string {
	for k, v := range s.vars {
		w = strings.ReplaceAll(w, "$"+k, v)
	}
	return w
}

// flush checks the lines the README showed since the last command (or
// writes the cat'ed file).
func (s *cliSession) flush() {
	if s.file != nil {
		if err := os.WriteFile(s.vars["file"], []byte(s.file.String()), 0o644); err != nil {
			s.t.Fatal(err)
		}
		s.file = nil
	}
	want := s.want
	s.want = nil
	if len(want) == 0 {
		return
	}
	pattern := lineShape(want)
	got := func() string { return s.out }
	if s.inWatch {
		got = s.watch.String
	}
	testproc.WaitFor(s.t, 10*time.Second, "the README's lines\n"+strings.Join(want, "\n"), func() bool {
		return pattern.MatchString(got())
	})
	s.checked += len(want)
}

// lineShape is a pattern for consecutive lines as the README shows them,
// with room ids, member ids, tokens and times free.
func lineShape(lines []string) *regexp.Regexp {
	free := []struct{ re, with string }{
		{`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`, `\S+`},
		{`eyJ\S*`, `\S+`},
		{`\b[0-9a-f]{16}\b`, `[0-9a-f]{16}`},
		{`\b[A-Za-z0-9_-]{22}\b`, `[A-Za-z0-9_-]{22}`},
	}
	var parts []string
	for _, l := range lines {
		q := regexp.QuoteMeta(l)
		for _, f := range free {
			q = regexp.MustCompile(f.re).ReplaceAllString(q, f.with)
		}
		parts = append(parts, q)
	}
	return regexp.MustCompile(`(?m)^` + strings.Join(parts, `\n`) + `$`)
}

// shellFields splits a command line into words, "quoted words" whole.
func shellFields(line string) []string {
	var out []string
	for i, part := range strings.Split(line, `"`) {
		if i%2 == 1 {
			out = append(out, part)
			continue
		}
		out = append(out, strings.Fields(part)...)
	}
	return out
}
