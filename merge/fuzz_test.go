package merge_test

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/strata-build/strata/merge"
)

// FuzzEval evaluates a main module and an imported one and wants no panic
// and no hang: every outcome is a value or diagnostics. The seed corpus in
// testdata/fuzz/FuzzEval comes from the conformance cases.
func FuzzEval(f *testing.F) {
	f.Add([]byte("option \"a\" {\n  type = int\n  default = 1\n}\n"), []byte("config {\n  a = 2\n}\n"), "a")
	f.Fuzz(func(t *testing.T, main, other []byte, attr string) {
		fsys := fstest.MapFS{
			"main.hcl":  {Data: append([]byte("imports = [\"./other.hcl\"]\n"), main...)},
			"other.hcl": {Data: other},
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			res, diags := (&merge.Config{FS: fsys}).EvalContext(ctx, "main.hcl")
			if diags.HasErrors() {
				if res != nil {
					t.Error("a Result came back with errors")
				}
				return
			}
			if _, err := merge.ParsePath(attr); err == nil {
				res.JSON(attr)
			}
			res.MarshalJSON()
			for _, o := range res.Options() {
				res.Explain(o.Path.String())
			}
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("no answer in 20 s for main:\n%s\nother:\n%s", main, other)
		}
	})
}

// FuzzParsePath wants ParsePath and Path.String to round-trip.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"a", `fileSystems."/".fsType`, `a."b.c"."\"q\""`, `x."[definition 1-entry 2]"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := merge.ParsePath(s)
		if err != nil {
			return
		}
		q, err := merge.ParsePath(p.String())
		if err != nil {
			t.Fatalf("ParsePath(%q) = %q, whose String %q does not parse: %v", s, p, p.String(), err)
		}
		if len(p) != len(q) {
			t.Fatalf("round trip of %q: %q then %q", s, p, q)
		}
		for i := range p {
			if p[i] != q[i] {
				t.Fatalf("round trip of %q: %q then %q", s, p, q)
			}
		}
	})
}
