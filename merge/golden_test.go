package merge_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-build/strata/merge"
)

var update = flag.Bool("update", false, "rewrite the want.json and want.diags files of testdata/eval")

// TestGolden evaluates each folder of testdata/eval (main.hcl and what it
// imports) and compares the whole configuration's JSON with want.json, or
// the diagnostics with want.diags. go test ./merge -update rewrites them;
// review the result in the diff.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "eval", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			res, diags := (&merge.Config{FS: os.DirFS(dir)}).Eval("main.hcl")
			var got []byte
			if !diags.HasErrors() {
				out, gd := res.JSON("")
				diags = append(diags, gd...)
				got = append(out, '\n')
			}
			name := "want.json"
			if diags.HasErrors() {
				name = "want.diags"
				got = []byte(renderDiags(diags))
			}
			path := filepath.Join(dir, name)
			if *update {
				os.Remove(filepath.Join(dir, "want.json"))
				os.Remove(filepath.Join(dir, "want.diags"))
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (outcome was:\n%s)", err, got)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
}
