package merge_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-build/strata/merge"
)

// TestSteadySuggestions checks that the names suggested for an unknown
// function or variable are the nearest, the same on every run (hcl's own
// pick depends on the order of a map).
func TestSteadySuggestions(t *testing.T) {
	cases := []struct {
		name, expr, want string
	}{
		{"function, tie broken by name", `a0()`, `There is no function named "a0". Did you mean "abs"?`},
		{"function, nearest", `lenght("x")`, `There is no function named "lenght". Did you mean "length"?`},
		{"function, none near", `frobnicate()`, `There is no function named "frobnicate".`},
		{"variable", `confg.x`, `There is no variable named "confg". Did you mean "config"?`},
		{"variable, not in scope at top level", `nam`, `There is no variable named "nam".`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"main.hcl": {Data: []byte("option \"x\" {\n  type    = anything\n  default = " + tc.expr + "\n}\n")}}
			for range 20 {
				res, diags := (&merge.Config{FS: fsys}).Eval("main.hcl")
				if !diags.HasErrors() {
					_, diags = res.Get("x")
				}
				if len(diags) != 1 || !strings.HasPrefix(diags[0].Detail, tc.want) {
					t.Fatalf("got %v, want a detail starting %q", diags, tc.want)
				}
				if rest := strings.TrimPrefix(diags[0].Detail, tc.want); strings.Contains(rest, "Did you mean") {
					t.Fatalf("two suggestions: %q", diags[0].Detail)
				}
			}
		})
	}
}
