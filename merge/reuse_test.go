package merge_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/strata-build/strata/merge"
)

// reuseModules is a base module set and several hosts on it. The base
// keeps its declarations and definitions in a Cache between evaluations;
// what it defines depends on conditions and arguments, and one host pushes
// down a namespace value that must be evaluated (so it is never kept).
var reuseModules = fstest.MapFS{
	"base.hcl": {Data: []byte(`option "services.web.enable" {
  type    = bool
  default = false
}
option "services.web.port" {
  type    = port
  default = 80
}
option "services.web.users" {
  type    = attrsOf(submodule)
  default = {}
  option "home" {
    type    = str
    default = "/home/${name}"
  }
}
option "networking.hostName" {
  type = str
}
option "networking.firewall.allowedTCPPorts" {
  type    = listOf(port)
  default = []
}
config {
  when = config.services.web.enable
  networking {
    firewall { allowedTCPPorts = [config.services.web.port] }
  }
  services {
    web {
      users "www" {}
    }
  }
}
config {
  services {
    web {
      port = mkIf(arg.tls, mkForce(443))
    }
  }
}
`)},
	"plain.hcl": {Data: []byte(`imports = ["./base.hcl"]
config {
  networking { hostName = "plain" }
}
`)},
	"web.hcl": {Data: []byte(`imports = ["./base.hcl"]
config {
  networking { hostName = "web" }
  services {
    web { enable = true }
  }
}
`)},
	"fromarg.hcl": {Data: []byte(`imports = ["./base.hcl"]
config {
  networking { hostName = "fromarg" }
  services = arg.services
}
`)},
	"extra.hcl": {Data: []byte(`imports = ["./base.hcl"]
option "services.web.extra" {
  type    = bool
  default = true
}
config {
  networking { hostName = "extra" }
  services {
    web { enable = config.services.web.extra }
  }
}
`)},
}

// TestCacheReuse evaluates hosts in turn over one Cache and checks each
// result against an evaluation without a Cache.
func TestCacheReuse(t *testing.T) {
	on := cty.ObjectVal(map[string]cty.Value{"web": cty.ObjectVal(map[string]cty.Value{"enable": cty.True})})
	off := cty.ObjectVal(map[string]cty.Value{"web": cty.ObjectVal(map[string]cty.Value{"enable": cty.False})})
	steps := []struct {
		name string
		host string
		tls  bool
		svcs cty.Value
	}{
		{"plain", "plain.hcl", false, on},
		{"web", "web.hcl", false, on},
		{"web with tls", "web.hcl", true, on},
		{"plain with tls", "plain.hcl", true, on},
		{"namespace from arg, on", "fromarg.hcl", false, on},
		{"namespace from arg, off", "fromarg.hcl", false, off},
		{"more declarations", "extra.hcl", true, on},
		{"web again", "web.hcl", false, on},
	}
	cache := &merge.Cache{}
	for round := range 2 {
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				args := map[string]cty.Value{"tls": cty.BoolVal(s.tls), "services": s.svcs}
				want := evalJSON(t, &merge.Config{FS: reuseModules, Args: args}, s.host)
				got := evalJSON(t, &merge.Config{FS: reuseModules, Args: args, Cache: cache}, s.host)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("round %d: with a Cache (-want +got):\n%s", round, diff)
				}
			})
		}
	}
}

func evalJSON(t *testing.T, cfg *merge.Config, name string) string {
	t.Helper()
	res, diags := cfg.Eval(name)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	b, err := res.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCacheFileSystems shares a Cache between configurations whose file
// systems hold equal file names with other contents: an unchanged module
// must not bring in the imports of another file system.
func TestCacheFileSystems(t *testing.T) {
	main := []byte(`imports = ["./profile.hcl"]
option "networking.hostName" {
  type = str
}
`)
	cache := &merge.Cache{}
	for _, name := range []string{"first", "second", "first"} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"main.hcl":    {Data: main},
				"profile.hcl": {Data: []byte("config {\n  networking {\n    hostName = \"" + name + "\"\n  }\n}\n")},
			}
			got := evalJSON(t, &merge.Config{FS: fsys, Cache: cache}, "main.hcl")
			want := `{"networking":{"hostName":"` + name + `"}}`
			if got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

// countFS counts the files opened in a file system.
type countFS struct {
	fsys  fs.FS
	opens *atomic.Int32
}

func (c countFS) Open(name string) (fs.File, error) {
	c.opens.Add(1)
	return c.fsys.Open(name)
}

func (c countFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.fsys, name) }

// TestCacheFileStamps checks when a cached file is read again: always
// while its modification time is recent, never once stat gives the stamp
// of an old file it gave before, and again whenever the stamp changes.
func TestCacheFileStamps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "main.hcl")
	old := time.Now().Add(-time.Hour)
	write := func(value string, mtime time.Time) {
		src := "option \"x\" {\n  type    = str\n  default = \"" + value + "\"\n}\n"
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(file, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	opens := &atomic.Int32{}
	cfg := &merge.Config{FS: countFS{fsys: os.DirFS(dir), opens: opens}, Cache: &merge.Cache{}}
	steps := []struct {
		name   string
		change func()
		want   string
		reads  int32
	}{
		{"first", func() { write("one", old) }, "one", 1},
		{"old and unchanged", func() {}, "one", 0},
		{"new bytes, same size", func() { write("two", time.Now()) }, "two", 1},
		{"recent and unchanged", func() {}, "two", 1},
		{"made old", func() { write("two", old.Add(time.Minute)) }, "two", 1},
		{"old again", func() {}, "two", 0},
	}
	for _, s := range steps {
		s.change()
		opens.Store(0)
		got := evalJSON(t, cfg, "main.hcl")
		if want := `{"x":"` + s.want + `"}`; got != want {
			t.Errorf("%s: got %s, want %s", s.name, got, want)
		}
		if n := opens.Load(); n != s.reads {
			t.Errorf("%s: the file was opened %d times, want %d", s.name, n, s.reads)
		}
	}
}

// TestCacheFunctions checks that nothing merged is kept when the Config
// has functions of its own, which may give another value on each call.
func TestCacheFunctions(t *testing.T) {
	calls := 0
	tick := function.New(&function.Spec{
		Type: function.StaticReturnType(cty.Number),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			calls++
			return cty.NumberIntVal(int64(calls)), nil
		},
	})
	fsys := fstest.MapFS{"main.hcl": {Data: []byte(`option "n" {
  type    = int
  default = tick()
}
option "m" {
  type    = int
  default = config.n + 1
}
`)}}
	cfg := &merge.Config{FS: fsys, Cache: &merge.Cache{}, Functions: map[string]function.Function{"tick": tick}}
	for _, want := range []string{`{"m":2,"n":1}`, `{"m":3,"n":2}`} {
		if got := evalJSON(t, cfg, "main.hcl"); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
