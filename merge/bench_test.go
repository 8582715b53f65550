package merge_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/strata-build/strata/internal/sharedtest"
	"github.com/strata-build/strata/merge"
)

// genModules writes the benchmark's module set with ../shared's generator
// and returns the main module; it skips when ../shared is absent.
func genModules(b *testing.B, modules string) string {
	b.Helper()
	gen := filepath.Join(sharedtest.Dir(b), "bench", "gen-modules")
	dir := b.TempDir()
	out, err := exec.Command(gen, "--modules", modules, "--options-per-module", "10", "--seed", "1", "--out", dir).CombinedOutput()
	if err != nil {
		b.Fatalf("gen-modules: %v\n%s", err, out)
	}
	// The files get the modification time of files written an hour ago,
	// as the profiles of a pipeline are: a Cache reads again any file
	// written in the last seconds (see Config.loadOne).
	hour := time.Now().Add(-time.Hour)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			err = os.Chtimes(p, hour, hour)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, "hcl", "main.hcl")
}

// evalAll evaluates the whole configuration, as strata eval does.
func evalAll(b *testing.B, cfg *merge.Config, name string) *merge.Result {
	b.Helper()
	res, diags := cfg.Eval(name)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	if _, err := res.MarshalJSON(); err != nil {
		b.Fatal(err)
	}
	return res
}

func benchEval(b *testing.B, modules string, warm bool) {
	main := genModules(b, modules)
	dir, name := filepath.Dir(main), filepath.Base(main)
	cfg := &merge.Config{FS: os.DirFS(dir)}
	if warm {
		// A second evaluation over modules already loaded and evaluated.
		cfg.Cache = &merge.Cache{}
		evalAll(b, cfg, name)
	}
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for b.Loop() {
		evalAll(b, cfg, name)
	}
}

// benchHosts evaluates a different small host module on top of the same
// module set in each iteration, sharing one Cache: what a pipeline building
// many hosts against the same profiles does. The options a host changes
// (its name, a service it enables and that service's port), and all that
// reads them (the service's conditional definitions of shared lists and
// attribute sets, the services that read its port), are merged again; the
// rest is taken from the Cache.
func benchHosts(b *testing.B, modules string) {
	main := genModules(b, modules)
	dir := filepath.Dir(main)
	const hosts = 4
	for i := range hosts {
		// Each host names itself and enables one more service, with its
		// own port.
		host := fmt.Sprintf(`imports = ["./main.hcl"]

config {
  networking {
    hostName = mkForce("host-%d")
  }
  services {
    svc%04d {
      enable = mkOverride(40, true)
      port   = mkOverride(40, %d)
    }
  }
}
`, i, 1+i*7, 9000+i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("host-%d.hcl", i)), []byte(host), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cfg := &merge.Config{FS: os.DirFS(dir), Cache: &merge.Cache{}}
	evalAll(b, cfg, "host-0.hcl")
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	i := 0
	for b.Loop() {
		i++
		name := fmt.Sprintf("host-%d.hcl", i%hosts)
		res := evalAll(b, cfg, name)
		got, diags := res.Get("networking.hostName")
		if diags.HasErrors() || got.AsString() != fmt.Sprintf("host-%d", i%hosts) {
			b.Fatalf("%s: networking.hostName = %#v, %v", name, got, diags)
		}
	}
}

// reportCPU starts counting the process's CPU time and returns a function
// that reports it per iteration as cpu-ns/op (user and system time of all
// threads, the garbage collector's included): the goals of issue #2 are
// in CPU time, and an evaluation uses more than one processor.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func BenchmarkEvalCold100x10(b *testing.B)  { benchEval(b, "100", false) }
func BenchmarkEvalWarm100x10(b *testing.B)  { benchEval(b, "100", true) }
func BenchmarkEvalCold2000x10(b *testing.B) { benchEval(b, "2000", false) }
func BenchmarkEvalWarm2000x10(b *testing.B) { benchEval(b, "2000", true) }

func BenchmarkEvalWarmHosts2000x10(b *testing.B) { benchHosts(b, "2000") }
