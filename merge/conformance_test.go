package merge_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"golang.org/x/tools/txtar"

	"github.com/strata-build/strata/internal/sharedtest"
	"github.com/strata-build/strata/merge"
)

// confCase is one conformance case of ../shared/conformance (see its
// run-cases for the format).
type confCase struct {
	name    string
	attr    string
	files   []string
	want    string // "", "keys", "contains", "lacks-prefix"
	fsys    fstest.MapFS
	json    []byte // want.json, nil for an error case
	errText []string
}

var headerRE = regexp.MustCompile(`^#?\s*(attr|args|files|want):\s*(.*?)\s*$`)

func readCase(t testing.TB, path string) confCase {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := confCase{name: strings.TrimSuffix(filepath.Base(path), ".txtar"), fsys: fstest.MapFS{}}
	for _, line := range strings.Split(string(a.Comment), "\n") {
		if m := headerRE.FindStringSubmatch(line); m != nil {
			switch m[1] {
			case "attr":
				c.attr = m[2]
			case "files":
				c.files = strings.Fields(m[2])
			case "want":
				c.want = m[2]
			case "args":
				if m[2] != "" {
					t.Skipf("case %s passes command-line args; only the CLI test runs it", c.name)
				}
			}
		}
	}
	for _, f := range a.Files {
		switch {
		case f.Name == "want.json":
			c.json = f.Data
		case f.Name == "error":
			for _, l := range strings.Split(string(f.Data), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					c.errText = append(c.errText, l)
				}
			}
		case strings.HasPrefix(f.Name, "nix/"):
		default:
			c.fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		}
	}
	if len(c.files) == 0 {
		c.files = []string{"main.hcl"}
		if _, ok := c.fsys["main.hcl.json"]; ok {
			c.files = []string{"main.hcl.json"}
		}
	}
	return c
}

// renderDiags writes diagnostics as FILE:LINE: summary: detail, one a line,
// the form the cases' error sections are matched against.
func renderDiags(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Subject != nil {
			fmt.Fprintf(&b, "%s:%d: ", d.Subject.Filename, d.Subject.Start.Line)
		}
		b.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

// runCase evaluates one case through the library and checks its outcome.
func runCase(t *testing.T, c confCase, cache *merge.Cache) {
	cfg := &merge.Config{FS: c.fsys, Cache: cache}
	res, diags := cfg.Eval(c.files...)
	var out []byte
	if !diags.HasErrors() {
		var gd hcl.Diagnostics
		out, gd = res.JSON(c.attr)
		diags = append(diags, gd...)
	}
	if c.json == nil {
		if !diags.HasErrors() {
			t.Fatalf("want an error, got success: %s", out)
		}
		text := strings.ToLower(renderDiags(diags))
		for _, w := range c.errText {
			if !strings.Contains(text, strings.ToLower(w)) {
				t.Errorf("errors lack %q:\n%s", w, text)
			}
		}
		return
	}
	if diags.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", renderDiags(diags))
	}
	var got, want any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if err := json.Unmarshal(c.json, &want); err != nil {
		t.Fatalf("want.json: %v", err)
	}
	switch c.want {
	case "keys":
		obj, ok := got.(map[string]any)
		if !ok {
			t.Fatalf("got %s, want an object", out)
		}
		var keys []any
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].(string) < keys[j].(string) })
		got = keys
	case "contains", "lacks-prefix":
		t.Skipf("want: %s is checked by the CLI runner only", c.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", c.attr, diff)
	}
}

// TestConformance runs every case of ../shared/conformance/cases through
// the library.
func TestConformance(t *testing.T) {
	dir := filepath.Join(sharedtest.Dir(t), "conformance", "cases")
	paths, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases in %s: %v", dir, err)
	}
	// Each case runs alone, then twice more over one Cache shared by all
	// cases: the second of these reuses what the first kept.
	cache := &merge.Cache{}
	for _, p := range paths {
		c := readCase(t, p)
		t.Run(c.name, func(t *testing.T) { runCase(t, c, nil) })
		t.Run(c.name+"/cached", func(t *testing.T) {
			runCase(t, c, cache)
			runCase(t, c, cache)
		})
	}
}
