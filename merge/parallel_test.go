package merge

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// parallelModules writes n service modules that read each other's options
// in conditions, priorities and values, with submodule elements, plus
// extra (a module's text added to main.hcl).
func parallelModules(n int, extra string) fstest.MapFS {
	fsys := fstest.MapFS{}
	var imports []string
	for i := range n {
		name := fmt.Sprintf("svc%03d", i)
		peer := fmt.Sprintf("svc%03d", (i*7+3)%n)
		imports = append(imports, fmt.Sprintf("%q", "./"+name+".hcl"))
		fsys[name+".hcl"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`locals {
  cfg = config.services.%[1]s
}
option "services.%[1]s.enable" {
  type    = bool
  default = %[3]t
}
option "services.%[1]s.port" {
  type    = port
  default = %[4]d
}
option "services.%[1]s.args" {
  type    = listOf(str)
  default = []
}
option "services.%[1]s.users" {
  type    = attrsOf(submodule)
  default = {}
  option "home" {
    type    = str
    default = "/home/${name}"
  }
  option "shell" {
    type    = nullOr(str)
    default = null
  }
}
config {
  when = local.cfg.enable
  services {
    %[1]s {
      args = [format("--port=%%d", local.cfg.port), "--peer=${config.services.%[2]s.port}"]
      users "%[1]s" {
        shell = mkIf(config.services.%[2]s.enable, "/bin/sh")
      }
    }
  }
}
config {
  services {
    %[2]s {
      port  = mkIf(config.services.%[1]s.enable, mkDefault(%[5]d))
      args  = mkAfter(["--from=%[1]s"])
    }
  }
}
`, name, peer, i%3 == 0, 1000+i, 2000+i))}
	}
	fsys["main.hcl"] = &fstest.MapFile{Data: []byte("imports = [" + strings.Join(imports, ", ") + "]\n" + extra)}
	return fsys
}

// TestPrefetchSameAsSerial checks that merging on several goroutines gives
// the JSON and the diagnostics of merging on one, with and without errors.
func TestPrefetchSameAsSerial(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: there is no prefetch to compare")
	}
	cases := []struct {
		name  string
		extra string
	}{
		{"no errors", ""},
		{"a cycle", `option "a" {
  type    = int
  default = config.b + 1
}
option "b" {
  type    = int
  default = config.a + 1
}
`},
		{"a type error", `config {
  services {
    svc005 { port = "eighty" }
  }
}
`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := parallelModules(150, tc.extra)
			var outs [2]string
			failed := false
			for i, serial := range []bool{true, false} {
				res, diags := (&Config{FS: fsys, serial: serial}).Eval("main.hcl")
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				b, jdiags := res.JSON("")
				outs[i] = string(b) + fmt.Sprint(jdiags)
				failed = jdiags.HasErrors()
			}
			if outs[0] != outs[1] {
				t.Errorf("serial and prefetched results differ:\nserial:   %.2000s\nprefetch: %.2000s", outs[0], outs[1])
			}
			if tc.extra == "" && !strings.Contains(outs[1], `"svc010":{"args":`) {
				t.Errorf("the result lacks what the modules define: %.500s", outs[1])
			}
			if want := tc.extra != ""; failed != want {
				t.Errorf("errors: got %t, want %t: %.500s", failed, want, outs[1])
			}
		})
	}
}

// FuzzSameResults wants one answer for a module pair however it is
// merged: on one goroutine with every expression evaluated by hcl (the
// answer wanted), on several with quick evaluation (quick.go), and over a
// Cache that offers the values of earlier evaluations with and without the
// main module.
func FuzzSameResults(f *testing.F) {
	f.Add([]byte(`option "a" {
  type    = int
  default = config.b + 1
}
option "b" {
  type = int
}
config {
  b = mkIf(config.c, 2)
}
`), []byte(`option "c" {
  type    = bool
  default = true
}
option "d" {
  type    = attrsOf(submodule)
  default = {}
  option "e" {
    type    = str
    default = name
  }
}
config {
  d "x" {}
  d "y" { e = "why" }
}
`))
	f.Fuzz(func(t *testing.T, main, other []byte) {
		fsys := fstest.MapFS{
			"main.hcl":  {Data: append([]byte("imports = [\"./other.hcl\"]\n"), main...)},
			"bare.hcl":  {Data: []byte("imports = [\"./other.hcl\"]\n")},
			"other.hcl": {Data: other},
		}
		run := func(cfg *Config, name string) string {
			res, diags := cfg.Eval(name)
			if diags.HasErrors() {
				return "eval: " + diags.Error()
			}
			b, jdiags := res.JSON("")
			return string(b) + " " + jdiags.Error()
		}
		want := map[string]string{}
		for _, name := range []string{"main.hcl", "bare.hcl"} {
			want[name] = run(&Config{FS: fsys, serial: true, hclOnly: true}, name)
		}
		if got := run(&Config{FS: fsys}, "main.hcl"); got != want["main.hcl"] {
			t.Fatalf("on all processors:\n%s\nwant (serial, through hcl):\n%s", got, want["main.hcl"])
		}
		// Over a Cache, values kept by one evaluation are offered to the
		// next, with and without the definitions of main.hcl.
		cache := &Cache{}
		for i, name := range []string{"main.hcl", "main.hcl", "bare.hcl", "main.hcl"} {
			if got := run(&Config{FS: fsys, Cache: cache}, name); got != want[name] {
				t.Fatalf("evaluation %d of %s over a Cache:\n%s\nwant (alone):\n%s", i, name, got, want[name])
			}
		}
	})
}

// TestDefineHalves checks that pushing down the two halves of the modules
// on two goroutines gives the definitions, in the order, and the
// diagnostics of pushing them down on one, and that it leaves the work to
// one goroutine when pushing down reads an option.
func TestDefineHalves(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: define runs on one goroutine")
	}
	const decls = `option "l" {
  type    = listOf(str)
  default = []
}
option "p" {
  type    = int
  default = 900
}
option "v" {
  type    = int
  default = 0
}
option "k" {
  type    = str
  default = "key"
}
option "ns.key" {
  type    = listOf(str)
  default = []
}
`
	cases := []struct {
		name   string
		body   func(i int) string // of module i
		halved bool
	}{
		{"list from every module", func(i int) string {
			return fmt.Sprintf("config {\n  l = [\"m%d\"]\n}\nconfig {\n  l = mkBefore([\"b%d\"])\n}\n", i, i)
		}, true},
		{"errors on both sides", func(i int) string {
			return fmt.Sprintf("config {\n  nosuch%d = 1\n  l = [\"m%d\"]\n}\n", i, i)
		}, true},
		{"a priority read from an option", func(i int) string {
			return fmt.Sprintf("config {\n  v = mkOverride(config.p - %d, %d)\n}\n", i, i)
		}, true},
		{"a namespace key read from an option", func(i int) string {
			return fmt.Sprintf("config {\n  ns = { (config.k) = [\"m%d\"] }\n}\n", i)
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			var imports []string
			for i := range 8 {
				name := fmt.Sprintf("m%d.hcl", i)
				fsys[name] = &fstest.MapFile{Data: []byte(tc.body(i))}
				imports = append(imports, fmt.Sprintf("%q", "./"+name))
			}
			fsys["main.hcl"] = &fstest.MapFile{Data: []byte("imports = [" + strings.Join(imports, ", ") + "]\n" + decls)}
			var outs [2]string
			for i, serial := range []bool{true, false} {
				res, diags := (&Config{FS: fsys, serial: serial}).Eval("main.hcl")
				if diags.HasErrors() {
					outs[i] = diags.Error()
					continue
				}
				b, jdiags := res.JSON("")
				outs[i] = string(b) + jdiags.Error()
				if !serial && res.e.halved != tc.halved {
					t.Errorf("defined in halves: got %t, want %t", res.e.halved, tc.halved)
				}
			}
			if outs[0] != outs[1] {
				t.Errorf("one goroutine and two differ:\none: %s\ntwo: %s", outs[0], outs[1])
			}
			t.Log(outs[1])
		})
	}
}
