package merge_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/strata-build/strata/merge"
)

// genModules writes the benchmark's module set with ../shared's generator
// and returns the main module; it skips when ../shared is absent.
func genModules(b *testing.B, modules string) string {
	b.Helper()
	gen := filepath.Join(sharedDir(b), "bench", "gen-modules")
	dir := b.TempDir()
	out, err := exec.Command(gen, "--modules", modules, "--options-per-module", "10", "--seed", "1", "--out", dir).CombinedOutput()
	if err != nil {
		b.Fatalf("gen-modules: %v\n%s", err, out)
	}
	return filepath.Join(dir, "hcl", "main.hcl")
}

func benchEval(b *testing.B, modules string, warm bool) {
	main := genModules(b, modules)
	dir, name := filepath.Dir(main), filepath.Base(main)
	cfg := &merge.Config{FS: os.DirFS(dir)}
	if warm {
		cfg.Cache = &merge.Cache{}
		if _, diags := cfg.Eval(name); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, diags := cfg.Eval(name)
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if _, err := res.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvalCold100x10(b *testing.B)  { benchEval(b, "100", false) }
func BenchmarkEvalWarm100x10(b *testing.B)  { benchEval(b, "100", true) }
func BenchmarkEvalCold2000x10(b *testing.B) { benchEval(b, "2000", false) }
func BenchmarkEvalWarm2000x10(b *testing.B) { benchEval(b, "2000", true) }
