// Package bundle builds the web app's script: web/src/main.ts and what
// it imports (TypeScript, and the message catalogue as JSON), bundled
// and minified by esbuild's Go API into one file, web/static/app.js,
// which the binary embeds. `go generate ./web` writes it; the tests
// check that the committed file is what the sources build to, that the
// sources type-check, and that the app's arithmetic is the domain's.
package bundle

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Output is the bundle's path under the web directory.
const Output = "static/app.js"

// Build bundles webDir/src/main.ts and returns the script.
func Build(webDir string) ([]byte, error) {
	return build(webDir, "src/main.ts", api.FormatIIFE, true)
}

// BuildScript bundles TypeScript source (its imports relative to
// webDir) as an ES module for Node, unminified: the tests run parts of
// the app there.
func BuildScript(webDir, source string) ([]byte, error) {
	return build(webDir, "\x00"+source, api.FormatESModule, false)
}

func build(webDir, entry string, format api.Format, minify bool) ([]byte, error) {
	abs, err := filepath.Abs(webDir)
	if err != nil {
		return nil, err
	}
	opts := api.BuildOptions{
		AbsWorkingDir:     abs,
		EntryPoints:       []string{entry},
		Bundle:            true,
		Write:             false,
		Outfile:           "out.js",
		Format:            format,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		MinifyWhitespace:  minify,
		MinifyIdentifiers: minify,
		MinifySyntax:      minify,
		// Phones of the last few years: BigInt, ?? and ?. as they are.
		Target:   api.ES2020,
		Engines:  []api.Engine{{Name: api.EngineChrome, Version: "100"}, {Name: api.EngineSafari, Version: "15.4"}, {Name: api.EngineFirefox, Version: "100"}},
		LogLevel: api.LogLevelSilent,
	}
	if source, ok := strings.CutPrefix(entry, "\x00"); ok {
		opts.EntryPoints = nil
		opts.Stdin = &api.StdinOptions{Contents: source, ResolveDir: abs, Sourcefile: "test.ts", Loader: api.LoaderTS}
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		var msgs []string
		for _, m := range api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage}) {
			msgs = append(msgs, strings.TrimSpace(m))
		}
		return nil, fmt.Errorf("esbuild: %s", strings.Join(msgs, "\n"))
	}
	if len(res.OutputFiles) != 1 {
		return nil, errors.New("esbuild: expected one output file")
	}
	return res.OutputFiles[0].Contents, nil
}

// Write builds the bundle and writes it to webDir/static/app.js.
func Write(webDir string) error {
	js, err := Build(webDir)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(webDir, Output), js, 0o644)
}
