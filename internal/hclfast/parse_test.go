package hclfast

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/tools/txtar"

	"github.com/strata-build/strata/internal/sharedtest"
)

// sameTree compares the two parsers' files: the same node types, values
// and ranges everywhere, Nav aside.
var sameTree = cmp.Options{
	cmpopts.IgnoreFields(hcl.File{}, "Nav"),
	cmp.AllowUnexported(hclsyntax.Body{}, hcl.TraverseRoot{}, hcl.TraverseAttr{}, hcl.TraverseIndex{}),
	cmp.Comparer(func(a, b cty.Value) bool { return a.Type().Equals(b.Type()) && a.RawEquals(b) }),
	cmp.Comparer(func(a, b *hclsyntax.Operation) bool { return a == b }),
}

// check parses src with both parsers and fails t when the subset parser
// accepts what hclsyntax rejects, or builds another tree, or when the
// compact form of hclsyntax's tree does not hold all of it. It reports
// whether the subset parser accepted src.
func check(t testing.TB, name string, src []byte) bool {
	t.Helper()
	got, ok, _ := parseSubset(src, name)
	want, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if sb, isSyntax := want.Body.(*hclsyntax.Body); isSyntax {
		// A file outside the subset is converted: a tree rebuilt from
		// the compact form must be hclsyntax's.
		rebuilt := &hcl.File{Body: unshare(fromSyntax(sb)).Syntax(), Bytes: want.Bytes, Nav: want.Nav}
		sameFile(t, name+" (converted)", src, want, rebuilt)
	}
	if !ok {
		return false
	}
	if len(diags) > 0 {
		t.Errorf("%s: the subset parser accepted a file hclsyntax reports errors in: %v\n%s", name, diags, src)
		return true
	}
	body := got.Body.(*Body)
	checkOrder(t, name, body)
	sameFile(t, name, src, want, &hcl.File{Body: body.Syntax(), Bytes: got.Bytes})
	return true
}

// sameFile fails t when the two files' trees differ, Nav aside.
func sameFile(t testing.TB, name string, src []byte, want, got *hcl.File) {
	t.Helper()
	// go-cmp takes time doubling with each level of nested slices, even
	// on equal trees: a deeply nested file would never finish. Equal
	// trees are seen in linear time first; go-cmp explains differences.
	if reflect.DeepEqual(want.Body, got.Body) && bytes.Equal(want.Bytes, got.Bytes) {
		return
	}
	if d := cmp.Diff(want, got, sameTree); d != "" {
		t.Errorf("%s: trees differ (-hclsyntax +hclfast):\n%s\nsource:\n%s", name, d, src)
	}
}

// checkOrder fails t when a body's attributes or blocks are not in source
// order, the order Body promises.
func checkOrder(t testing.TB, name string, b *Body) {
	t.Helper()
	for i := 1; i < len(b.Attributes); i++ {
		if b.Attributes[i-1].src.start.byt >= b.Attributes[i].src.start.byt {
			t.Errorf("%s: attributes %q and %q out of order", name, b.Attributes[i-1].Name, b.Attributes[i].Name)
		}
	}
	for i := range b.Blocks {
		if i > 0 && b.Blocks[i-1].typ.start.byt >= b.Blocks[i].typ.start.byt {
			t.Errorf("%s: blocks %q and %q out of order", name, b.Blocks[i-1].Type, b.Blocks[i].Type)
		}
		checkOrder(t, name, b.Blocks[i].Body)
	}
}

// unshare copies a compact body without the trees Syntax made or was
// given, so that Syntax builds them again from the compact form.
func unshare(b *Body) *Body {
	c := &Body{Attributes: b.Attributes, filename: b.filename, src: b.src, end: b.end}
	if b.Blocks != nil {
		c.Blocks = make([]Block, len(b.Blocks))
		for i, blk := range b.Blocks {
			c.Blocks[i] = blk
			c.Blocks[i].Body = unshare(blk.Body)
		}
	}
	return c
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		subset bool // whether the subset parser takes it
	}{
		{"empty", "", true},
		{"newlines", "\n\n", true},
		{"attribute", "a = 1\n", true},
		{"no final newline", "a = 1", true},
		{"strings", "a = \"x\"\nb = \"\"\nc = \"it's 50%d $x %\"\n", true},
		{"escapes", `a = "tab\there \"q\" \\ \u00e9"` + "\n", true},
		{"bad escape", `a = "\q"` + "\n", false},
		{"escape and dollar", `a = "\n$x"` + "\n", false},
		{"numbers", "a = 0\nb = 1.5\nc = 2e10\nd = 3.25E-2\ne = -7\n", true},
		{"number then dot", "a = 1.x\n", false},
		{"literals", "a = true\nb = false\nc = null\n", true},
		{"traversals", "a = config.services.x.enable\nb = local.cfg.port\n", true},
		{"indexes", "a = x[0]\nb = x[\"k\"].y\nc = x[1 + 1]\nd = f(1)[0]\ne = (x).y\n", true},
		{"empty string index", "a = x[\"\"]\n", true},
		{"calls", "a = f()\nb = format(\"%d\", 1)\nc = f(\n  1,\n  2,\n)\n", true},
		{"tuples", "a = []\nb = [1, 2,]\nc = [\n  \"x\",\n  [y]\n]\n", true},
		{"objects", "a = {}\nb = { x = 1, y = \"z\" }\nc = {\n  x = 1\n  \"y\" = 2\n  (z) = 3\n  w: 4,\n}\n", true},
		{"operators", "a = !x && y || z == 1 != w < 2 <= 3 > 4 >= 5 + 6 - 7 * 8 / 9 % 10\nb = -x.y\n", true},
		{"precedence", "a = 1 * 2 + 3 * 4 - 5 / 6 % 7 == 8 && 9 < 10 || 11\nb = x || y && z || w\nc = 1 - 2 - 3 + 4\nd = -1 * -2\ne = !x == y\nf = a < b == c > d\n", true},
		{"conditional", "a = x ? 1 : y ? 2 : 3\n", true},
		{"parentheses", "a = (1 + 2) * 3\nb = (\n  x\n)\n", true},
		{"blocks", "option \"a.b\" {\n  type = int\n}\nconfig {\n  services {\n    x \"y\" z {\n    }\n  }\n}\n", true},
		{"one-line block", "a { b = 1 }\nc \"d\" { e = [1] }\n", true},
		{"empty one-line block", "a {}\n", true},
		{"comments", "# top\n// also\n/* block\n spans */ a = 1 # end\nb = 2 // end\n/* last */", true},
		{"comment at the end", "a = 1\n# no newline", true},
		{"comment in a list", "a = [\n  1, # one\n  2\n]\n", true},
		{"tabs", "a\t=\t1\n", true},
		{"dashes in names", "a-b = c-d\n", true},
		{"deep nesting", "a = " + strings.Repeat("[{x = (f(", 40) + "1" + strings.Repeat("))}]", 40) + "\nb {\n" + strings.Repeat("c {\n", 60) + strings.Repeat("}\n", 61), true},
		{"template", "a = \"${x}\"\n", false},
		{"directive", "a = \"%{if x}y%{endif}\"\n", false},
		{"heredoc", "a = <<EOT\nx\nEOT\n", false},
		{"for", "a = [for x in y: x]\n", false},
		{"for object", "a = {for k, v in y: k => v}\n", false},
		{"splat", "a = x[*].y\nb = x.*.y\n", false},
		{"legacy index", "a = x.0\n", false},
		{"expanded argument", "a = f(x...)\n", false},
		{"namespaced function", "a = provider::x::f()\n", false},
		{"non-ASCII", "a = \"é\"\n", false},
		{"carriage return", "a = 1\r\n", false},
		{"duplicate attribute", "a = 1\na = 2\n", false},
		{"missing newline", "a = 1 b = 2\n", false},
		{"comma after attribute", "a = 1,\n", false},
		{"unclosed block", "a {\n", false},
		{"unclosed string", "a = \"x\n", false},
		{"block with equals", "a = {\n  b { }\n}\n", false},
		{"two-attribute one-line block", "a { b = 1, c = 2 }\n", false},
		{"missing expression", "a =\n", false},
		{"bad character", "a = 1 ; b = 2\n", false},
		{"quoted name", "\"a\" = 1\n", false},
		{"unbalanced parenthesis", "a = (1\n", false},
		{"missing colon", "a = x ? 1\n", false},
		{"bad number", "a = 1.2.3\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok := check(t, tt.name+".hcl", []byte(tt.src)); ok != tt.subset {
				t.Errorf("subset parser took the file: %v, want %v", ok, tt.subset)
			}
			// ParseConfig gives what hclsyntax gives, fallback or not.
			got, gotDiags := ParseConfig([]byte(tt.src), tt.name+".hcl")
			want, wantDiags := hclsyntax.ParseConfig([]byte(tt.src), tt.name+".hcl", hcl.InitialPos)
			if d := cmp.Diff(wantDiags.Error(), gotDiags.Error()); d != "" {
				t.Errorf("diagnostics differ (-hclsyntax +hclfast):\n%s", d)
			}
			if !tt.subset {
				// Nav is set by hclsyntax only.
				if got.Nav == nil || got.Body == nil || want.Body == nil {
					t.Errorf("a file outside the subset did not get hclsyntax's tree")
				}
			}
		})
	}
}

// TestProjectFiles compares the parsers on every HCL file of the project
// and, where ../shared is present, on every conformance case and on a
// generated benchmark set. Every file the modules of those sets are made
// of is in the subset; most of the project's test files are too.
func TestProjectFiles(t *testing.T) {
	var n, taken int
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".cache") {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".hcl"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			if check(t, path, src) {
				taken++
			}
		case strings.HasSuffix(path, ".txtar"):
			a, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".hcl") {
					n++
					if check(t, path+":"+f.Name, f.Data) {
						taken++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("project: %d of %d HCL files in the subset", taken, n)
	if n == 0 || taken < n/2 {
		t.Errorf("only %d of %d project files in the subset", taken, n)
	}
}

func TestSharedFiles(t *testing.T) {
	dir := sharedtest.Dir(t)
	var cases, casesTaken int
	for _, sub := range []string{"cases", "profiles"} {
		paths, err := filepath.Glob(filepath.Join(dir, "conformance", sub, "*.txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".hcl") {
					cases++
					if check(t, filepath.Base(path)+":"+f.Name, f.Data) {
						casesTaken++
					}
				}
			}
		}
	}
	t.Logf("conformance: %d of %d HCL files in the subset", casesTaken, cases)
	if cases == 0 {
		t.Errorf("no conformance files found under %s", dir)
	}

	out := t.TempDir()
	gen := exec.Command(filepath.Join(dir, "bench", "gen-modules"), "--modules", "60", "--options-per-module", "10", "--seed", "7", "--out", out)
	if b, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("gen-modules: %v\n%s", err, b)
	}
	paths, err := filepath.Glob(filepath.Join(out, "hcl", "*.hcl"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no generated modules: %v", err)
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !check(t, filepath.Base(path), src) {
			t.Errorf("%s: a generated module is outside the subset", filepath.Base(path))
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range append([]string{
		"a = 1\n", "a { b = [1, {c = d}] }\n", "x \"y\" {\n  z = f(a.b[0], -1 ? \"s\" : (t))\n}\n",
		"a = {\n  b = 1 # c\n  d: 2,\n}\n", "/* c */ a = x && !y || z != 3 % 2\n",
	}, trickyInputs...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		check(t, "fuzz.hcl", src)
	})
}

// TestTooDeep checks that a file nested past maxNesting gets a located
// error instead of a parse that would exhaust the stack, whether the
// subset parser or hclsyntax would have read it, and that a file at the
// limit parses.
func TestTooDeep(t *testing.T) {
	over := maxNesting + 1
	tests := []struct {
		name string
		src  string
		line int // of the error, 0 for none
	}{
		{"tuples at the limit", "a = " + strings.Repeat("[", maxNesting-1) + strings.Repeat("]", maxNesting-1) + "\n", 0},
		{"tuples", "a = " + strings.Repeat("[", over) + strings.Repeat("]", over) + "\n", 1},
		{"parentheses on line 2", "x = 1\na = " + strings.Repeat("(", over) + "1" + strings.Repeat(")", over) + "\n", 2},
		{"blocks", strings.Repeat("b {\n", over) + strings.Repeat("}\n", over), over},
		{"prefix operators", "a = " + strings.Repeat("!", 3*maxNesting) + "x\n", 1},
		{"outside the subset", "a = \"${x}\"\nb = " + strings.Repeat("{", over) + strings.Repeat("}", over) + "\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := ParseConfig([]byte(tt.src), "deep.hcl")
			if tt.line == 0 {
				if diags.HasErrors() {
					t.Fatalf("unexpected errors: %v", diags)
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary != "Nested too deeply" || diags[0].Subject == nil {
				t.Fatalf("diagnostics = %v, want one \"Nested too deeply\" with a place", diags)
			}
			if got := diags[0].Subject.Start.Line; got != tt.line {
				t.Errorf("error on line %d, want %d", got, tt.line)
			}
			if f == nil || f.Body == nil {
				t.Errorf("no file or body with the error")
			}
		})
	}
}
