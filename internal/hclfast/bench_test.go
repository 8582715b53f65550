package hclfast

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/strata-build/strata/internal/sharedtest"
)

// BenchmarkParse parses the modules of a generated 200-module benchmark
// set with hclfast and with hclsyntax; compare their ns/op and B/op.
func BenchmarkParse(b *testing.B) {
	gen := filepath.Join(sharedtest.Dir(b), "bench", "gen-modules")
	out := b.TempDir()
	if msg, err := exec.Command(gen, "--modules", "200", "--options-per-module", "10", "--seed", "1", "--out", out).CombinedOutput(); err != nil {
		b.Fatalf("gen-modules: %v\n%s", err, msg)
	}
	paths, err := filepath.Glob(filepath.Join(out, "hcl", "*.hcl"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no modules: %v", err)
	}
	var srcs [][]byte
	var size int64
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
		size += int64(len(src))
	}
	for _, bc := range []struct {
		name  string
		parse func(src []byte) hcl.Diagnostics
	}{
		{"hclfast", func(src []byte) hcl.Diagnostics { _, d := ParseConfig(src, "m.hcl"); return d }},
		{"hclsyntax", func(src []byte) hcl.Diagnostics {
			_, d := hclsyntax.ParseConfig(src, "m.hcl", hcl.InitialPos)
			return d
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, src := range srcs {
					if diags := bc.parse(src); diags.HasErrors() {
						b.Fatal(diags)
					}
				}
			}
		})
	}
}
