package merge_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-build/strata/merge"
)

// chainFS returns n modules, each importing the next and appending its own
// number to the list option "seen" (declared by the last one).
func chainFS(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		var b strings.Builder
		if i+1 < n {
			fmt.Fprintf(&b, "imports = [\"./m%d.hcl\"]\n", i+1)
		} else {
			b.WriteString("option \"seen\" {\n  type = listOf(int)\n  default = []\n}\n")
		}
		fmt.Fprintf(&b, "config {\n  seen = [%d]\n}\n", i)
		fsys[fmt.Sprintf("m%d.hcl", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// TestLoadImportChain checks that modules found only through a long chain
// of imports are all loaded, and merged in definition order (the most
// deeply imported first), whatever order the workers finish in.
func TestLoadImportChain(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{name: "one", n: 1},
		{name: "two", n: 2},
		{name: "chain of 200", n: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &merge.Config{FS: chainFS(tc.n)}
			res, diags := cfg.Eval("m0.hcl")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got, diags := res.JSON("seen")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			want := make([]string, tc.n)
			for i := range tc.n {
				want[i] = fmt.Sprint(tc.n - 1 - i)
			}
			if string(got) != "["+strings.Join(want, ",")+"]" {
				t.Errorf("seen = %s, want [%s]", got, strings.Join(want, ","))
			}
		})
	}
}

// TestLoadOSKeys checks that a module file of the OS imported by several
// spellings of its path (relative to different folders, through "..",
// absolute) is one module, whether the first module was named by an
// absolute or a relative path.
func TestLoadOSKeys(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.ToSlash(filepath.Join(dir, "sub", "a.hcl"))
	files := fstest.MapFS{
		"main.hcl": {Data: []byte(`imports = ["./sub/a.hcl", "sub/../sub/b.hcl", "` + abs + `"]
option "seen" {
  type    = listOf(str)
  default = []
}
config {
  seen = ["main"]
}
`)},
		"sub/a.hcl": {Data: []byte(`imports = ["../sub/b.hcl", "./b.hcl"]
config {
  seen = ["a"]
}
`)},
		"sub/b.hcl": {Data: []byte(`config {
  seen = ["b"]
}
`)},
	}
	if err := os.CopyFS(dir, files); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cwd  string // "" to stay
		main string
	}{
		{name: "absolute", main: filepath.Join(dir, "main.hcl")},
		{name: "relative", cwd: dir, main: "main.hcl"},
		{name: "relative from above", cwd: filepath.Dir(dir), main: filepath.Join(filepath.Base(dir), "main.hcl")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cwd != "" {
				t.Chdir(tc.cwd)
			}
			res, diags := (&merge.Config{}).Eval(tc.main)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			v, diags := res.Get("seen")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var got []string
			for _, e := range v.AsValueSlice() {
				got = append(got, e.AsString())
			}
			slices.Sort(got)
			if want := []string{"a", "b", "main"}; !slices.Equal(got, want) {
				t.Errorf("seen = %q, want each module once: %q", got, want)
			}
		})
	}
}

// TestLoadCancelled checks that a cancelled context stops loading with an
// error instead of a result.
func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := &merge.Config{FS: chainFS(50)}
	res, diags := cfg.EvalContext(ctx, "m0.hcl")
	if res != nil || !diags.HasErrors() {
		t.Fatalf("got a result (%v) or no error (%v) from a cancelled evaluation", res != nil, diags)
	}
	if got := diags[0].Summary; got != "Evaluation cancelled" {
		t.Errorf("summary = %q, want %q", got, "Evaluation cancelled")
	}
}
